package cn.eport.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Does what {@link Idempotent} promises, around the handler method: the key row is inserted first,
 * in the transaction the method's own work joins, so a concurrent repeat blocks on the primary key
 * (subject, key) until the first commits or rolls back, and then finds its answer or runs itself.
 * The database, not timing, makes a request happen once; a crash before the commit leaves neither
 * the effects nor the key.
 */
final class IdempotentRequests implements MethodInterceptor {

    static final String REPLAYED = "Idempotent-Replayed";
    static final URI KEY_REUSED = URI.create("https://eport.cn/problems/idempotency-key-reused");
    private static final TypeReference<Map<String, List<String>>> HEADERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final IdempotencySettings settings;

    IdempotentRequests(JdbcClient jdbc, TransactionTemplate transaction, JsonMapper json, IdempotencySettings settings) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.json = json;
        this.settings = settings;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes web)) {
            return invocation.proceed();
        }
        List<String> header = Collections.list(web.getRequest().getHeaders(IdempotencyKey.HEADER));
        if (header.isEmpty()) {
            return invocation.proceed();
        }
        IdempotencyKey key = IdempotencyKey.parse(header);
        String subject = subject();
        byte[] fingerprint = fingerprint(web.getRequest(), invocation);
        try {
            Outcome outcome = Objects.requireNonNull(transaction.execute(status -> once(key, subject, fingerprint, invocation)));
            if (outcome.replayed() && web.getResponse() != null) {
                web.getResponse().setHeader(REPLAYED, "true");
            }
            return outcome.answer();
        } catch (MethodFailed failed) {
            throw failed.getCause();
        }
    }

    private Outcome once(IdempotencyKey key, String subject, byte[] fingerprint, MethodInvocation invocation) {
        // At most a few rounds: the row found taken can vanish (the janitor) before it is read.
        for (int attempt = 1; attempt <= 3; attempt++) {
            int inserted = jdbc.sql("""
                            INSERT INTO idempotency_keys (subject, idempotency_key, fingerprint) VALUES (?, ?, ?)
                            ON CONFLICT (subject, idempotency_key) DO NOTHING""")
                    .params(subject, key.value(), fingerprint)
                    .update();
            if (inserted == 1) {
                Object answer = proceed(invocation);
                keep(subject, key, answerOf(invocation.getMethod(), answer));
                return new Outcome(answer, false);
            }
            Optional<Kept> first = jdbc.sql("""
                            SELECT fingerprint, answer_status, answer_headers, answer_body FROM idempotency_keys
                            WHERE subject = ? AND idempotency_key = ?""")
                    .params(subject, key.value())
                    .query((rs, n) -> new Kept(rs.getBytes("fingerprint"), rs.getInt("answer_status"),
                            rs.getString("answer_headers"), rs.getBytes("answer_body")))
                    .optional();
            if (first.isPresent()) {
                if (!MessageDigest.isEqual(first.get().fingerprint(), fingerprint)) {
                    throw reused();
                }
                return new Outcome(replay(invocation.getMethod(), first.get()), true);
            }
        }
        throw new IllegalStateException("Idempotency key neither insertable nor found after 3 attempts");
    }

    private void keep(String subject, IdempotencyKey key, Answer answer) {
        String headers = json.writeValueAsString(answer.headers());
        int size = headers.getBytes(StandardCharsets.UTF_8).length + (answer.body() == null ? 0 : answer.body().length);
        if (size > settings.maxAnswerBytes()) {
            throw new IllegalStateException("An answer of " + size + " bytes is larger than eport.web.idempotency.max-answer-bytes ("
                    + settings.maxAnswerBytes() + "): the request is rolled back rather than done without its idempotency key");
        }
        jdbc.sql("""
                        UPDATE idempotency_keys SET answer_status = ?, answer_headers = ?::jsonb, answer_body = ?
                        WHERE subject = ? AND idempotency_key = ?""")
                .params(answer.status(), headers, answer.body(), subject, key.value())
                .update();
    }

    /** What the handler returned, as MVC will send it: a response entity's status and headers, else its {@code @ResponseStatus}. */
    private Answer answerOf(Method method, @Nullable Object returned) {
        if (returned instanceof HttpEntity<?> entity) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            entity.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            int status = entity instanceof ResponseEntity<?> response ? response.getStatusCode().value() : HttpStatus.OK.value();
            return new Answer(status, headers, entity.getBody() == null ? null : json.writeValueAsBytes(entity.getBody()));
        }
        ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(method, ResponseStatus.class);
        int status = declared == null ? HttpStatus.OK.value() : declared.code().value();
        return new Answer(status, Map.of(), returned == null ? null : json.writeValueAsBytes(returned));
    }

    /** The first answer again, as the handler's declared return type: MVC writes it as it wrote the first. */
    private @Nullable Object replay(Method method, Kept first) {
        if (HttpEntity.class.isAssignableFrom(method.getReturnType())) {
            ResolvableType bodyType = ResolvableType.forMethodReturnType(method).as(HttpEntity.class).getGeneric(0);
            HttpHeaders headers = new HttpHeaders();
            if (first.headers() != null) {
                json.readValue(first.headers(), HEADERS).forEach(headers::addAll);
            }
            Object body = first.body() == null ? null : json.readValue(first.body(), json.constructType(bodyType.getType()));
            return ResponseEntity.status(first.status()).headers(headers).body(body);
        }
        if (first.body() == null) {
            return null;
        }
        return json.readValue(first.body(), json.constructType(method.getGenericReturnType()));
    }

    private static String subject() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String subject = authentication == null || authentication instanceof AnonymousAuthenticationToken ? null
                : authentication.getPrincipal() instanceof Jwt jwt && jwt.getSubject() != null ? jwt.getSubject()
                : authentication.getName();
        if (subject == null || subject.isEmpty()) {
            // Keys are scoped to who sends them; without a subject, one caller could replay another's answer.
            throw new IllegalStateException("An @Idempotent endpoint needs an authenticated caller");
        }
        return subject;
    }

    /** SHA-256 of the method, the path with its query and the request body as read: what "the same request" means. */
    private byte[] fingerprint(HttpServletRequest request, MethodInvocation invocation) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String target = request.getMethod() + " " + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString()) + "\n";
        digest.update(target.getBytes(StandardCharsets.UTF_8));
        Parameter[] parameters = invocation.getMethod().getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isAnnotationPresent(RequestBody.class)) {
                digest.update(json.writeValueAsBytes(invocation.getArguments()[i]));
            }
        }
        return digest.digest();
    }

    private static ErrorResponseException reused() {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, KEY_REUSED,
                "This Idempotency-Key was first sent with another request (method, path or body): send a new key for a new request");
        problem.setTitle("Idempotency key reused");
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
    }

    private static @Nullable Object proceed(MethodInvocation invocation) {
        try {
            return invocation.proceed();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable checked) {
            throw new MethodFailed(checked);
        }
    }

    private record Outcome(@Nullable Object answer, boolean replayed) {
    }

    private record Answer(int status, Map<String, List<String>> headers, byte @Nullable [] body) {
    }

    private record Kept(byte[] fingerprint, int status, @Nullable String headers, byte @Nullable [] body) {
    }

    /** A checked exception of the handler, carried out of the transaction callback and thrown as it was. */
    private static final class MethodFailed extends RuntimeException {
        MethodFailed(Throwable cause) {
            super(cause);
        }

    }
}
