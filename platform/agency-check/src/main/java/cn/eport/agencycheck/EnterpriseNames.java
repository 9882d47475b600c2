package cn.eport.agencycheck;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Compares names as a clerk would: full-width and half-width forms are the same character (NFKC:
 * （ and ( alike, Ａ and A alike), spaces of either width do not count, and brackets of both kinds
 * (round and square, 【】 included) are the same bracket.
 */
public final class EnterpriseNames {

    private EnterpriseNames() {
    }

    public static String normalised(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                continue;
            }
            out.append(switch (c) {
                case '[', '【', '〔', '〖', '「', '『' -> '(';
                case ']', '】', '〕', '〗', '」', '』' -> ')';
                default -> c;
            });
        }
        return out.toString();
    }

    public static boolean same(String a, String b) {
        return normalised(a).equals(normalised(b));
    }
}
