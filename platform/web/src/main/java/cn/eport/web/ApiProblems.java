package cn.eport.web;

import java.net.URI;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every error a REST API returns is an RFC 9457 problem detail. Bad input is a 400 naming each bad
 * field in {@code errors} (a body that is not JSON at all names {@code body}); an unexpected failure
 * is a 500 that says nothing of the internals.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    /** Thrown by controllers when a resource does not exist or the caller may not know it does. */
    public static class NotFound extends RuntimeException {
        public NotFound(String detail) {
            super(detail);
        }
    }

    /** Thrown by controllers when a request conflicts with the resource's state. */
    public static class Conflict extends RuntimeException {
        public Conflict(String detail) {
            super(detail);
        }
    }

    /** Thrown by controllers for input that passed bean validation but breaks a rule of the domain. */
    public static class InvalidInput extends RuntimeException {
        private final List<FieldError> errors;

        public InvalidInput(List<FieldError> errors) {
            super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    public static ProblemDetail invalid(List<FieldError> errors) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_INPUT,
                errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid");
        problem.setTitle("Invalid input");
        problem.setProperty("errors", errors);
        return problem;
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getAllErrors().stream()
                .map(error -> new FieldError(
                        error instanceof org.springframework.validation.FieldError field ? field.getField() : error.getObjectName(),
                        error.getCode() == null ? "Invalid" : error.getCode(),
                        error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::code))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldError(
                        result.getMethodParameter().getParameterName() == null ? "parameter" : result.getMethodParameter().getParameterName(),
                        error.getCodes() == null || error.getCodes().length == 0 ? "Invalid" : error.getCodes()[error.getCodes().length - 1],
                        error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(path(unknown), "UNKNOWN_FIELD",
                    "is not a field of this request; known fields: " + unknown.getKnownPropertyIds()))));
        }
        if (cause instanceof InvalidFormatException format) {
            String allowed = format.getTargetType() != null && format.getTargetType().isEnum()
                    ? "; allowed: " + Arrays.toString(format.getTargetType().getEnumConstants())
                    : "";
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(path(format), "UNKNOWN_VALUE",
                    "'" + format.getValue() + "' is not a valid " + format.getTargetType().getSimpleName() + allowed))));
        }
        if (cause instanceof StreamReadException parse) {
            return ResponseEntity.badRequest().body(malformed("Malformed JSON", new FieldError(path(parse), "MALFORMED_JSON",
                    "is not valid JSON: " + parse.getOriginalMessage()
                            + (parse.getLocation() == null ? "" : " at line " + parse.getLocation().getLineNr()
                            + ", column " + parse.getLocation().getColumnNr()))));
        }
        if (cause instanceof JacksonException mismatch && !mismatch.getPath().isEmpty()) {
            return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(path(mismatch), "WRONG_TYPE",
                    "has the wrong type" + (mismatch instanceof MismatchedInputException input && input.getTargetType() != null
                            ? ": expected " + jsonKind(input.getTargetType()) : "")))));
        }
        return ResponseEntity.badRequest().body(malformed("Malformed body", new FieldError("body", "UNREADABLE",
                "is missing or cannot be read as this request")));
    }

    /** A path variable or request parameter that does not convert: {@code /api/applications/not-a-uuid}. */
    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        String type = ex.getRequiredType() == null ? "value" : ex.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest().body(invalid(List.of(new FieldError(name, "WRONG_TYPE",
                "'" + ex.getValue() + "' is not a valid " + type))));
    }

    /** The JSON a Java type is read from: a client is told what to send, not our class names. */
    private static String jsonKind(Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == UUID.class
                || type.getPackageName().equals("java.time")) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** A body that cannot be read at all still names what is wrong, in the same {@code errors} shape. */
    private static ProblemDetail malformed(String title, FieldError error) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, Problems.MALFORMED_BODY,
                ("body".equals(error.field()) ? "The body " : "The body at " + error.field() + " ") + error.message());
        problem.setTitle(title);
        problem.setProperty("errors", List.of(error));
        return problem;
    }

    @ExceptionHandler(InvalidInput.class)
    ResponseEntity<ProblemDetail> invalidInput(InvalidInput ex) {
        return ResponseEntity.badRequest().body(invalid(ex.errors()));
    }

    @ExceptionHandler(NotFound.class)
    ResponseEntity<ProblemDetail> notFound(NotFound ex) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Problems.of(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, ex.getMessage()));
    }

    @ExceptionHandler(Conflict.class)
    ResponseEntity<ProblemDetail> conflict(Conflict ex) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Problems.of(HttpStatus.CONFLICT, Problems.CONFLICT, ex.getMessage()));
    }

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    ResponseEntity<ProblemDetail> forbidden(RuntimeException ex) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Problems.of(HttpStatus.FORBIDDEN, Problems.FORBIDDEN,
                "You may not do this"));
    }

    /**
     * Spring Security's firewall checks a header or parameter when it is first read: a control character in one that
     * a handler reads (an Idempotency-Key) is bad input, not our failure. The value is not echoed.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException ex) {
        return ResponseEntity.badRequest().body(invalid(List.of(new FieldError("request", "NOT_ALLOWED",
                "has a header or parameter holding a character that is not allowed, such as a control character"))));
    }

    /**
     * The database is away (restarting, out of connections, the connection lost at commit or
     * rollback) or a lock wait timed out: the same request a few seconds later will be done, and with
     * an Idempotency-Key it is safe to repeat whatever happened to this one.
     */
    @ExceptionHandler({TransientDataAccessException.class, DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class, TransactionSystemException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception ex) {
        log.warn("Answering 503, the database is unavailable: {}", ex.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, URI.create("https://eport.cn/problems/unavailable"),
                        "The service cannot reach its database just now. Try again in a few seconds (with the same Idempotency-Key, if you sent one)"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        return ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
                URI.create("https://eport.cn/problems/internal"), "Something went wrong on our side; it has been logged"));
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
