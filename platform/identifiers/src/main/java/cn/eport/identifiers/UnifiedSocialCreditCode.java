package cn.eport.identifiers;

import java.util.Optional;

/**
 * 统一社会信用代码, GB 32100-2015: 18 characters from an alphabet without I, O, S, V and Z.
 * Characters 9-17 are the organisation code (GB 11714) of the same enterprise.
 */
public final class UnifiedSocialCreditCode {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = weights();

    private UnifiedSocialCreditCode() {
    }

    public static Optional<IdentifierProblem> problemWith(String value) {
        String code = value.strip();
        if (code.length() != 18) {
            return Optional.of(IdentifierProblem.WRONG_LENGTH);
        }
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return Optional.of(IdentifierProblem.INVALID_CHARACTER);
            }
        }
        return code.charAt(17) == checkCharacter(code.substring(0, 17))
                ? Optional.empty()
                : Optional.of(IdentifierProblem.WRONG_CHECK_CHARACTER);
    }

    /** The check character for 17 body characters: 31 - (weighted sum mod 31), 31 becoming 0. */
    public static char checkCharacter(String body) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(body.charAt(i)) * WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return ALPHABET.charAt(c == 31 ? 0 : c);
    }

    /** Characters 9-17: the enterprise's organisation code, without the hyphen. */
    public static String organisationCode(String uscc) {
        return uscc.strip().substring(8, 17);
    }

    private static int[] weights() {
        int[] weights = new int[17];
        int w = 1;
        for (int i = 0; i < 17; i++) {
            weights[i] = w;
            w = w * 3 % 31;
        }
        return weights;
    }
}
