package cn.eport.web;

/**
 * The characters no text field of a request may hold: they are invisible or they change how the
 * text around them reads, and none belongs in a name, an address, a code or a reason.
 *
 * <ul>
 * <li>controls (Unicode category Cc): NUL, which PostgreSQL cannot store in text or jsonb, and
 *     every other C0 and C1 control, tab, line feed and carriage return included: every text
 *     field of these forms is a single line;</li>
 * <li>format characters (Cf): the bidirectional embeddings, overrides and isolates
 *     (U+202A-U+202E, U+2066-U+2069) and marks (U+200E, U+200F, U+061C), which can make a name
 *     display as another; zero-width spaces and joiners, the soft hyphen, U+FEFF;</li>
 * <li>the line and paragraph separators U+2028 and U+2029 (Zl, Zp): line breaks by another name;</li>
 * <li>half a surrogate pair (Cs), which is no character at all (JSON can send one as the escape of U+D800).</li>
 * </ul>
 *
 * <p>Everything else is allowed, on purpose: private-use characters (some rare characters of
 * Chinese personal names are still encoded there) and code points this JDK does not know yet
 * (newer CJK extensions), full-width digits and spaces, emoji and other complete surrogate pairs.
 */
final class ControlCharacters {

    private ControlCharacters() {
    }

    static boolean isForbidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** The index (in chars) of the first forbidden character of {@code text}, or -1 when it has none. */
    static int indexOfFirst(CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = Character.codePointAt(text, i);
            if (isForbidden(codePoint)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    /** For a person: {@code U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control}. */
    static String describe(int codePoint) {
        String name = Character.getName(codePoint);
        return String.format("U+%04X", codePoint) + (name == null ? "" : " (" + name + ")") + ", " + kind(codePoint);
    }

    /** The text with each forbidden character written as backslash, u and four hex digits, so that an error message can show it. */
    static String visible(String text) {
        if (indexOfFirst(text) < 0) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(codePoint -> {
            if (isForbidden(codePoint)) {
                shown.append(String.format("\\u%04X", codePoint));
            } else {
                shown.appendCodePoint(codePoint);
            }
        });
        return shown.toString();
    }

    private static String kind(int codePoint) {
        if ((codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069)
                || codePoint == 0x200E || codePoint == 0x200F || codePoint == 0x061C) {
            return "a bidirectional control";
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL -> "a control character";
            case Character.SURROGATE -> "half of a surrogate pair";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line break";
            default -> "an invisible format character";
        };
    }
}
