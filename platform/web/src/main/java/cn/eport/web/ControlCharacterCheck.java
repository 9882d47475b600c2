package cn.eport.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, with a 400 naming each field, a JSON request body any of whose strings (values or field
 * names) holds a character of {@link ControlCharacters}: a NUL would otherwise reach PostgreSQL and
 * fail there, a bidirectional override would reach the agencies and the cards.
 *
 * <p>It reads the JSON as sent, before it is bound to the endpoint's type, so it covers every string
 * of every request body whatever the type, and names fields by their path in the body
 * ({@code operators[0].name}). A body that is not well-formed JSON is handed on unchecked: binding
 * it fails and says why, as before. Bodies are small enough to read twice: {@link RequestSizeLimit}
 * has bounded them.
 */
@ControllerAdvice
final class ControlCharacterCheck extends RequestBodyAdviceAdapter {

    /** Enough to show what is wrong; a body full of bad strings does not need an answer as large. */
    static final int MAX_ERRORS = 20;

    private final JsonMapper json;

    ControlCharacterCheck(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        MediaType type = input.getHeaders().getContentType();
        if (type == null || !isJson(type)) {
            return input;
        }
        Charset charset;
        try {
            charset = type.getCharset();
        } catch (IllegalArgumentException unknownCharset) {
            return input;
        }
        byte[] body = input.getBody().readAllBytes();
        List<FieldError> errors = errorsIn(body, charset);
        if (!errors.isEmpty()) {
            throw new ApiProblems.InvalidInput(errors);
        }
        return new ReadBody(body, input.getHeaders());
    }

    /** Every field of the JSON {@code body} that holds a forbidden character, in the order they appear. */
    private List<FieldError> errorsIn(byte[] body, @Nullable Charset charset) {
        Map<String, FieldError> errors = new LinkedHashMap<>();
        try (JsonParser parser = parserFor(body, charset)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null && errors.size() < MAX_ERRORS) {
                if (token == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    int at = ControlCharacters.indexOfFirst(name);
                    if (at >= 0) {
                        String field = path(parser.streamReadContext());
                        errors.putIfAbsent(field, new FieldError(field, "CONTROL_CHARACTER",
                                "is a field name that " + problem(name, at)));
                    }
                } else if (token == JsonToken.VALUE_STRING) {
                    String value = parser.getString();
                    int at = ControlCharacters.indexOfFirst(value);
                    if (at >= 0) {
                        String field = path(parser.streamReadContext());
                        errors.putIfAbsent(field, new FieldError(field, "CONTROL_CHARACTER", problem(value, at)));
                    }
                }
            }
        } catch (JacksonException notJson) {
            // Not JSON, or beyond the parser's limits: binding the body fails the same way and reports it.
            return List.of();
        }
        return List.copyOf(errors.values());
    }

    private JsonParser parserFor(byte[] body, @Nullable Charset charset) {
        // As Spring's Jackson converter reads: bytes when the encoding is one JSON detects by itself, else decoded.
        if (charset == null || charset.name().startsWith("UTF-")) {
            return json.createParser(body);
        }
        return json.createParser(new InputStreamReader(new ByteArrayInputStream(body), charset));
    }

    private static String problem(String text, int at) {
        return "holds " + ControlCharacters.describe(text.codePointAt(at)) + " at character " + (text.codePointCount(0, at) + 1)
                + "; text fields take no control, format or bidirectional characters, tab and line breaks included";
    }

    /** The path of the current token, as ApiProblems names fields: {@code enterprise.name}, {@code operators[0].name}. */
    private static String path(TokenStreamContext context) {
        Deque<TokenStreamContext> steps = new ArrayDeque<>();
        for (TokenStreamContext step = context; step != null && !step.inRoot(); step = step.getParent()) {
            steps.push(step);
        }
        StringBuilder path = new StringBuilder();
        for (TokenStreamContext step : steps) {
            if (step.inArray()) {
                path.append('[').append(Math.max(step.getCurrentIndex(), 0)).append(']');
            } else if (step.currentName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ControlCharacters.visible(step.currentName()));
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || (type.getSubtypeSuffix() != null && type.getSubtypeSuffix().equalsIgnoreCase("json"));
    }

    /** The body, already read and checked, served again from memory. */
    private record ReadBody(byte[] body, HttpHeaders headers) implements HttpInputMessage {

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
