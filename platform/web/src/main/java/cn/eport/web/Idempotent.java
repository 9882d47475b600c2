package cn.eport.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method that honours the {@code Idempotency-Key} request header (IETF draft "The
 * Idempotency-Key HTTP Header Field"). A request that carries a key is done at most once per
 * authenticated subject and key:
 * <ul>
 * <li>the first runs in a transaction that also inserts the key, with the answer it got (status,
 *     headers, body), so the key exists if and only if the request's effects committed;</li>
 * <li>a repeat with the same key, method, path and body gets that answer again, marked
 *     {@code Idempotent-Replayed: true}, and does nothing; one that arrives while the first is still
 *     running waits for it on the key's unique index;</li>
 * <li>the same key with another request is a 422 problem; a malformed key (not 1-255 visible ASCII
 *     characters, or a structured-field string of them) is a 400 naming the header.</li>
 * </ul>
 * A request that fails (any exception: a 4xx problem, a 5xx) stores nothing, so a retry with the
 * same key runs again. Without the header the method runs as if unmarked. Keys are kept for
 * {@code eport.web.idempotency.retention} (24 hours). See {@link IdempotencyAutoConfiguration}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {
}
