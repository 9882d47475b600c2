package cn.eport.identifiers;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 居民身份证号码, GB 11643-1999: six area digits, eight birth-date digits, three sequence digits and
 * a check character (0-9 or X). A personal ID number: never log or publish it whole, use {@link #masked}.
 */
public final class ResidentIdNumber {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARACTERS = "10X98765432";

    private ResidentIdNumber() {
    }

    public static Optional<IdentifierProblem> problemWith(String value) {
        String number = value.strip();
        if (number.length() != 18) {
            return Optional.of(IdentifierProblem.WRONG_LENGTH);
        }
        char last = number.charAt(17);
        if (!CheckCharacters.allDigits(number.substring(0, 17)) || !(last == 'X' || (last >= '0' && last <= '9'))) {
            return Optional.of(IdentifierProblem.INVALID_CHARACTER);
        }
        if (!isDate(number.substring(6, 14))) {
            return Optional.of(IdentifierProblem.INVALID_BIRTH_DATE);
        }
        return last == checkCharacter(number.substring(0, 17))
                ? Optional.empty()
                : Optional.of(IdentifierProblem.WRONG_CHECK_CHARACTER);
    }

    public static char checkCharacter(String body) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    /**
     * The number with everything but its first three and last four characters hidden, as it may
     * appear in logs, events and on screens: {@code 110***********002X}. Anything that is not 18
     * characters long is hidden entirely.
     */
    public static String masked(String value) {
        String number = value.strip();
        if (number.length() != 18) {
            return "*".repeat(Math.max(number.length(), 1));
        }
        return number.substring(0, 3) + "*".repeat(11) + number.substring(14);
    }

    /** An 18-character resident ID number standing on its own in text: 17 digits and a digit or X. */
    private static final Pattern WHOLE_IN_TEXT = Pattern.compile("(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])");

    /**
     * {@code text} with every whole resident ID number in it {@link #masked}: for free text a person
     * reads or a log keeps (a reason message, an exception's message) that could quote one.
     */
    public static String maskedWithin(String text) {
        return WHOLE_IN_TEXT.matcher(text).replaceAll(found -> Matcher.quoteReplacement(masked(found.group())));
    }

    private static boolean isDate(String yyyymmdd) {
        try {
            LocalDate.of(Integer.parseInt(yyyymmdd.substring(0, 4)),
                    Integer.parseInt(yyyymmdd.substring(4, 6)),
                    Integer.parseInt(yyyymmdd.substring(6, 8)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
