package cn.eport.identifiers;

import java.util.Optional;

/**
 * 税务登记号 (before 2015): a six-digit administrative area code followed by the nine characters of
 * the organisation code. It has no check character of its own; the organisation code's is checked.
 */
public final class TaxRegistrationNumber {

    private TaxRegistrationNumber() {
    }

    public static Optional<IdentifierProblem> problemWith(String value) {
        String number = value.strip();
        if (number.length() != 15) {
            return Optional.of(IdentifierProblem.WRONG_LENGTH);
        }
        if (!CheckCharacters.allDigits(number.substring(0, 6))) {
            return Optional.of(IdentifierProblem.INVALID_CHARACTER);
        }
        return OrganisationCode.problemWith(organisationCode(number));
    }

    /** Characters 7-15: the organisation code, without the hyphen. */
    public static String organisationCode(String taxNumber) {
        return taxNumber.strip().substring(6);
    }
}
