package cn.eport.identifiers;

import java.util.Optional;

/**
 * 海关注册编码: four digits of the customs area, one digit for the area's nature, one for the
 * enterprise type, then a four-character sequence. The rule defines no check character.
 */
public final class CustomsRegistrationCode {

    private CustomsRegistrationCode() {
    }

    public static Optional<IdentifierProblem> problemWith(String value) {
        String code = value.strip();
        if (code.length() != 10) {
            return Optional.of(IdentifierProblem.WRONG_LENGTH);
        }
        if (!CheckCharacters.allDigits(code.substring(0, 6))) {
            return Optional.of(IdentifierProblem.INVALID_CHARACTER);
        }
        for (int i = 6; i < 10; i++) {
            if (CheckCharacters.digitOrLetterValue(code.charAt(i)) < 0) {
                return Optional.of(IdentifierProblem.INVALID_CHARACTER);
            }
        }
        return Optional.empty();
    }
}
