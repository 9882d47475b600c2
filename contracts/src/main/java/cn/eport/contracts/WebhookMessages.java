package cn.eport.contracts;

/**
 * The webhook messages intake POSTs to its subscribers (Standard Webhooks): a CloudEvents 1.0 body
 * in structured mode whose {@code data} says what changed in one application, its sequence number
 * (1, 2, 3 ... per application, in the order intake recorded the changes) and the application's
 * status after it; signed with the subscription's secret in the {@code webhook-signature} header. The
 * schema is {@code cn.eport.webhook.application-changed.v1.schema.json} beside the events'.
 */
public final class WebhookMessages {

    /** The CloudEvents {@code type} of every webhook message. */
    public static final String APPLICATION_CHANGED = "cn.eport.webhook.application-changed.v1";

    private WebhookMessages() {
    }
}
