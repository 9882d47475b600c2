package cn.eport.mail;

import java.util.regex.Pattern;

/**
 * The plain addresses a decision mail goes to: {@code local@domain.tld} in ASCII, within RFC 5321's
 * lengths (a local part of 64 octets, a path of 256 with its angle brackets, so 254). No quoted local
 * parts, comments, display names, IP literals or line breaks: an applicant's mailbox needs none, and
 * each is a way to smuggle a second recipient or a header into the message.
 */
final class MailAddress {

    static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_PART = 64;
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern PLAIN = Pattern.compile(ATOM + "(?:\\." + ATOM + ")*@" + LABEL + "(?:\\." + LABEL + ")+");

    private MailAddress() {
    }

    /** {@code address} without surrounding blanks, if it is a plain address; else an IllegalArgumentException saying why. */
    static String checked(String address) {
        String plain = address.strip();
        if (plain.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a mail address has at most " + MAX_LENGTH + " characters, this one " + plain.length());
        }
        int at = plain.lastIndexOf('@');
        if (!PLAIN.matcher(plain).matches() || at > MAX_LOCAL_PART) {
            throw new IllegalArgumentException("not a plain mail address (local@domain.tld, at most 64 characters before the @)");
        }
        return plain;
    }
}
