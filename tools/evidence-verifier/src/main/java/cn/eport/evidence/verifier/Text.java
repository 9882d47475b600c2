package cn.eport.evidence.verifier;

/** Text from the bundle made safe to print: no control characters that could move the cursor or fake a line. */
final class Text {

    private Text() {
    }

    static String printable(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
            if (unsafe && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(unsafe ? '?' : c);
            }
        }
        return out == null ? text : out.toString();
    }
}
