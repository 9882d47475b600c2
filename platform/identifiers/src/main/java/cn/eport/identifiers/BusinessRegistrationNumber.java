package cn.eport.identifiers;

import java.util.Optional;

/**
 * 工商注册号, GS 15-2006: 15 digits, the last an ISO 7064 MOD 11,10 check digit over the first 14.
 */
public final class BusinessRegistrationNumber {

    private BusinessRegistrationNumber() {
    }

    public static Optional<IdentifierProblem> problemWith(String value) {
        String number = value.strip();
        if (number.length() != 15) {
            return Optional.of(IdentifierProblem.WRONG_LENGTH);
        }
        if (!CheckCharacters.allDigits(number)) {
            return Optional.of(IdentifierProblem.INVALID_CHARACTER);
        }
        return number.charAt(14) == checkDigit(number.substring(0, 14))
                ? Optional.empty()
                : Optional.of(IdentifierProblem.WRONG_CHECK_CHARACTER);
    }

    /** ISO 7064 MOD 11,10 over the given digits. */
    public static char checkDigit(String digits) {
        int p = 10;
        for (int i = 0; i < digits.length(); i++) {
            int s = (p + digits.charAt(i) - '0') % 10;
            p = (s == 0 ? 10 : s) * 2 % 11;
        }
        return (char) ('0' + (11 - p) % 10);
    }
}
