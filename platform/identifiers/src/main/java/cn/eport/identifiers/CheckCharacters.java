package cn.eport.identifiers;

/** Character values shared by the standards: digits 0-9, then A=10 ... Z=35. */
final class CheckCharacters {

    private CheckCharacters() {
    }

    /** The value GB 11714 gives a character, or -1 when it is not a digit or a capital letter. */
    static int digitOrLetterValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
