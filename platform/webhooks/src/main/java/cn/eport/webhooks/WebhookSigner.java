package cn.eport.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks the Standard Webhooks way (https://www.standardwebhooks.com,
 * symmetric scheme): the signature is {@code v1,} and the base64 HMAC-SHA256, keyed with the
 * subscription's secret, of {@code <webhook-id>.<webhook-timestamp>.<body>}.
 *
 * <p>One signer per subscription: every subscription has its own secret, so a leaked secret forges
 * webhooks to one receiver only. Instances are immutable and safe to share.
 */
public final class WebhookSigner {

    /** How far a receiver lets a timestamp be from its own clock, either way, against replays. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final String SECRET_PREFIX = "whsec_";
    private static final String VERSION = "v1";
    private static final int NEW_SECRET_BYTES = 32;
    // The specification's bounds for a symmetric secret: 192 to 512 bits.
    private static final int MIN_SECRET_BYTES = 24;
    private static final int MAX_SECRET_BYTES = 64;
    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The result of {@link #verify}; only {@link #VALID} means the webhook may be trusted. */
    public enum Verification {
        VALID,
        /** A header is missing or does not read (no timestamp number, an id with a dot). */
        MALFORMED,
        /** The timestamp is more than {@link #TOLERANCE} from now: a replay, or a clock far off. */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No {@code v1} signature in the header matches the body with this secret. */
        NO_MATCHING_SIGNATURE;

        public boolean valid() {
            return this == VALID;
        }
    }

    private final SecretKeySpec key;

    /**
     * @param secret the subscription's secret as handed to the subscriber: {@code whsec_} and the
     *     base64 of 24 to 64 random bytes
     * @throws IllegalArgumentException when the secret is not in that form
     */
    public WebhookSigner(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + SECRET_PREFIX + " followed by base64", e);
        }
        if (bytes.length < MIN_SECRET_BYTES || bytes.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException("a webhook secret holds " + MIN_SECRET_BYTES + " to "
                    + MAX_SECRET_BYTES + " bytes, this one " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, HMAC);
    }

    /** A new secret for a new subscription: 32 random bytes, as {@code whsec_<base64>}. */
    public static String newSecret() {
        byte[] bytes = new byte[NEW_SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The headers for one attempt to deliver the body.
     *
     * @param messageId the same for every attempt at one message; printable ASCII without spaces or
     *     dots (a dot would let one id-and-timestamp pair pass for another)
     * @param timestamp when this attempt is made, truncated to seconds
     * @throws IllegalArgumentException when the message id is not of that form
     */
    public WebhookHeaders sign(String messageId, Instant timestamp, byte[] body) {
        if (!isValidMessageId(messageId)) {
            throw new IllegalArgumentException("a webhook id is printable ASCII without spaces or dots: " + messageId);
        }
        long seconds = timestamp.getEpochSecond();
        return new WebhookHeaders(messageId, seconds, signature(messageId, Long.toString(seconds), body));
    }

    /**
     * Whether a received webhook was signed with this secret within {@link #TOLERANCE} of now. The
     * signature header may hold several space-separated signatures (a sender rotating its secret
     * signs with both); one matching {@code v1} signature is enough, other versions are skipped.
     * Signatures are compared in constant time.
     *
     * @param id the {@code webhook-id} header as received
     * @param timestamp the {@code webhook-timestamp} header as received
     * @param signatures the {@code webhook-signature} header as received
     * @param body the raw body bytes, before any JSON parsing
     * @param now the receiver's clock
     */
    public Verification verify(String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (!isValidMessageId(id) || !timestamp.matches("[0-9]{1,12}")) {
            return Verification.MALFORMED;
        }
        long seconds = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return Verification.TIMESTAMP_OUT_OF_TOLERANCE;
        }
        byte[] expected = signature(id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String candidate : signatures.trim().split(" +")) {
            if (candidate.startsWith(VERSION + ",")) {
                // No early exit: how many signatures were looked at says nothing about which matched.
                matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return matched ? Verification.VALID : Verification.NO_MATCHING_SIGNATURE;
    }

    private String signature(String id, String timestamp, byte[] body) {
        Mac mac;
        try {
            // A Mac is not thread-safe; a new one per call is cheap next to the HTTP round trip.
            mac = Mac.getInstance(HMAC);
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + HMAC, e);
        }
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return VERSION + "," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private static boolean isValidMessageId(String id) {
        return id.matches("[\\x21-\\x2D\\x2F-\\x7E]{1,256}");
    }
}
