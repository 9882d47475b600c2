package cn.eport.webhooks;

import java.util.Map;

/**
 * The three Standard Webhooks headers of one delivery attempt.
 *
 * @param id the message id, the same on every retry so that the receiver can drop duplicates
 * @param timestamp when this attempt was signed, in Unix seconds; new on every retry
 * @param signature one or more space-separated {@code v1,<base64>} signatures
 */
public record WebhookHeaders(String id, long timestamp, String signature) {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    /** Header name to value, to copy onto a request. */
    public Map<String, String> asMap() {
        return Map.of(ID, id, TIMESTAMP, Long.toString(timestamp), SIGNATURE, signature);
    }
}
