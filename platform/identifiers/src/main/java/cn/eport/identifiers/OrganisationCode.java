package cn.eport.identifiers;

import java.util.Optional;

/**
 * 组织机构代码, GB 11714-1997: eight body characters (digits, A-Z) and a check character, printed
 * {@code XXXXXXXX-C}. The hyphen is optional on input.
 */
public final class OrganisationCode {

    private static final int[] WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private OrganisationCode() {
    }

    public static Optional<IdentifierProblem> problemWith(String value) {
        String compact = compact(value);
        if (compact.length() != 9) {
            return Optional.of(IdentifierProblem.WRONG_LENGTH);
        }
        for (int i = 0; i < 8; i++) {
            if (CheckCharacters.digitOrLetterValue(compact.charAt(i)) < 0) {
                return Optional.of(IdentifierProblem.INVALID_CHARACTER);
            }
        }
        char check = compact.charAt(8);
        if (CheckCharacters.digitOrLetterValue(check) < 0) {
            return Optional.of(IdentifierProblem.INVALID_CHARACTER);
        }
        return check == checkCharacter(compact.substring(0, 8))
                ? Optional.empty()
                : Optional.of(IdentifierProblem.WRONG_CHECK_CHARACTER);
    }

    /** The check character for eight body characters: 11 - (weighted sum mod 11); 10 is X, 11 is 0. */
    public static char checkCharacter(String body) {
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += CheckCharacters.digitOrLetterValue(body.charAt(i)) * WEIGHTS[i];
        }
        int c = 11 - sum % 11;
        return c == 10 ? 'X' : c == 11 ? '0' : (char) ('0' + c);
    }

    /** The nine characters without the hyphen: the form used inside USCC and tax numbers. */
    public static String compact(String value) {
        String trimmed = value.strip();
        return trimmed.length() > 8 && trimmed.charAt(8) == '-'
                ? trimmed.substring(0, 8) + trimmed.substring(9)
                : trimmed;
    }

    /** The printed form {@code XXXXXXXX-C} of a well-formed code. */
    public static String printed(String value) {
        String compact = compact(value);
        return compact.substring(0, 8) + "-" + compact.charAt(8);
    }
}
