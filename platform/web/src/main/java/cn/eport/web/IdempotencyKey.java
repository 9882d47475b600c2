package cn.eport.web;

import java.util.List;

/**
 * The value of an {@code Idempotency-Key} header. The draft makes it a structured-field string
 * ({@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}, RFC 8941: printable ASCII in double quotes, with
 * {@code \"} and {@code \\} escaped); many clients send the bare token, so that is accepted too, as
 * visible ASCII without quotes or commas. Either way the key is what is inside: 1 to 255 characters.
 */
record IdempotencyKey(String value) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /** The key of the header's values as received, or a 400 naming the header. */
    static IdempotencyKey parse(List<String> values) {
        if (values.size() != 1) {
            throw invalid("MULTIPLE_VALUES", "is sent " + values.size() + " times; send one key");
        }
        String raw = values.get(0).strip();
        String key = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"") ? unquote(raw) : bare(raw);
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid("WRONG_LENGTH", "has " + key.length() + " characters; a key has 1 to " + MAX_LENGTH);
        }
        return new IdempotencyKey(key);
    }

    private static String bare(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == ',' || c == '\\') {
                throw invalid("INVALID_CHARACTER", "may hold visible ASCII characters only (or be a quoted string)"
                        + "; character " + (i + 1) + " is not one");
            }
        }
        return raw;
    }

    private static String unquote(String quoted) {
        StringBuilder key = new StringBuilder(quoted.length());
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\') {
                char escaped = i + 1 < quoted.length() - 1 ? quoted.charAt(++i) : '\0';
                if (escaped != '"' && escaped != '\\') {
                    throw invalid("MALFORMED", "is a quoted string with a backslash that escapes neither \" nor \\");
                }
                key.append(escaped);
            } else if (c == '"') {
                throw invalid("MALFORMED", "is a quoted string with an unescaped \" inside");
            } else if (c < 0x20 || c >= 0x7F) {
                throw invalid("INVALID_CHARACTER", "may hold printable ASCII characters only; character " + i + " is not one");
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static ApiProblems.InvalidInput invalid(String code, String message) {
        return new ApiProblems.InvalidInput(List.of(new FieldError(HEADER, code, message)));
    }
}
