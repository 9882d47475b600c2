package cn.eport.webhooks;

import java.time.Duration;

/**
 * What came of one attempt to deliver a webhook.
 *
 * @param outcome what happened
 * @param httpStatus the receiver's status code, 0 when no response came
 * @param duration from sending the request to the end of the response (or of waiting for it)
 * @param detail a short text for the delivery log: the status, or what went wrong
 * @param responseExcerpt the start of the receiver's response body (at most
 *     {@link WebhookSender#RESPONSE_EXCERPT_BYTES} bytes), for the subscriber to debug with; empty
 *     when there was none
 */
public record DeliveryAttempt(Outcome outcome, int httpStatus, Duration duration, String detail, String responseExcerpt) {

    /** What happened to an attempt. */
    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /**
         * The receiver answered with any other status, a redirect included: redirects are not
         * followed, the subscriber registers the new URL instead. A 410 Gone means the receiver
         * wants no more webhooks; the caller may disable the subscription.
         */
        FAILURE_STATUS,
        /** No connection within the connect timeout, or no response within the response timeout. */
        TIMED_OUT,
        /** The name did not resolve, the connection was refused or reset, or TLS failed. */
        CONNECTION_FAILED,
        /** {@link EndpointPolicy} refused the URL or the addresses its host resolved to; no connection was made. */
        REFUSED_BY_POLICY
    }

    public boolean succeeded() {
        return outcome == Outcome.DELIVERED;
    }

    /**
     * Whether trying again later may succeed: every failure except a policy refusal. Standard
     * Webhooks counts any non-2xx answer as a failure to retry, and a 4xx is often a receiver
     * mid-deployment; the retry schedule's 24 hours bound what a receiver that stays broken costs.
     * A refusal is our own decision and would be the same next time (a host that now resolves to
     * a private address is more likely an attack than a glitch), so it goes straight to dead letters.
     */
    public boolean retryable() {
        return outcome != Outcome.DELIVERED && outcome != Outcome.REFUSED_BY_POLICY;
    }
}
