package cn.eport.webhooks;

import java.net.UnknownHostException;

/**
 * A host that {@link EndpointPolicy} refuses to connect to. An {@link UnknownHostException}, so
 * that HttpClient treats it as a name that did not resolve and never opens a socket; its own type,
 * so that {@link WebhookSender} can tell a refusal (not worth retrying) from DNS trouble (worth it).
 */
final class EndpointRefusedException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    EndpointRefusedException(String reason) {
        super(reason);
    }

    String reason() {
        String message = getMessage();
        return message == null ? "refused by the endpoint policy" : message;
    }
}
