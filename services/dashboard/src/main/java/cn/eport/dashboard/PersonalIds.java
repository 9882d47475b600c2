package cn.eport.dashboard;

import cn.eport.identifiers.ResidentIdNumber;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks resident ID numbers (GB 11643, 18 characters) in free text the dashboard shows: an agency's
 * reason message or a dead letter's reason could quote one whole. The mask is the one the events
 * use, {@link ResidentIdNumber#masked}: the first three and the last four characters stay ({@code 110***********002X}).
 */
final class PersonalIds {

    /** An 18-character resident ID number standing on its own: 17 digits and a digit or X. */
    static final Pattern WHOLE_ID_NUMBER = Pattern.compile("(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])");

    private PersonalIds() {
    }

    static String mask(String text) {
        return WHOLE_ID_NUMBER.matcher(text).replaceAll(found -> Matcher.quoteReplacement(ResidentIdNumber.masked(found.group())));
    }
}
