package cn.eport.webhooks;

/**
 * Whether {@link EndpointPolicy} accepts a subscriber's URL, and in plain language why not.
 *
 * @param accepted true when webhooks may be sent to the URL
 * @param reason when refused, a sentence for the subscriber naming what to change; when
 *     accepted, just "accepted"
 */
public record EndpointCheck(boolean accepted, String reason) {

    static EndpointCheck accept() {
        return new EndpointCheck(true, "accepted");
    }

    static EndpointCheck refuse(String reason) {
        return new EndpointCheck(false, reason);
    }
}
