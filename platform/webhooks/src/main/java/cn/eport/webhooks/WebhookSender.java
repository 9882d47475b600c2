package cn.eport.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Delivers one webhook attempt: a signed POST of a CloudEvent in structured mode
 * ({@code Content-Type: application/cloudevents+json}) to a subscriber's URL, answered by a
 * {@link DeliveryAttempt}. It never throws for what the receiver or the network does.
 *
 * <p>The URL's form is checked against the {@link EndpointPolicy} before each attempt, and the
 * addresses its host resolves to when connecting, so a connection only ever goes to addresses the
 * policy has just allowed. Redirects are not followed (the target of a redirect would escape that
 * check, and Standard Webhooks asks subscribers to update the URL instead), HttpClient retries
 * nothing by itself (the {@link RetrySchedule} decides), and no proxy, cookie or credential is used.
 *
 * <p>One instance holds a connection pool: share it, and close it when the service stops.
 */
public final class WebhookSender implements AutoCloseable {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    /** How much of a response body is kept: enough for an error message, not for a flood. */
    public static final int RESPONSE_EXCERPT_BYTES = 4096;

    private static final ContentType CLOUDEVENTS_JSON = ContentType.create("application/cloudevents+json");
    private static final int DETAIL_CHARACTERS = 200;

    private final EndpointPolicy policy;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final CloseableHttpClient client;

    /** A sender with the default timeouts, 5 s to connect and 10 s for the response. */
    public WebhookSender(EndpointPolicy policy, Clock clock) {
        this(policy, clock, DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT);
    }

    /**
     * @param clock the source of the {@code webhook-timestamp} of each attempt
     * @param connectTimeout how long to wait for the TCP connection
     * @param responseTimeout how long to wait for the response, and at most between two reads of it
     */
    public WebhookSender(EndpointPolicy policy, Clock clock, Duration connectTimeout, Duration responseTimeout) {
        this.policy = policy;
        this.clock = clock;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(policy.dnsResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(responseTimeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(responseTimeout))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("eport-webhooks")
                .build();
    }

    /**
     * Sends the body once, signed for this attempt.
     *
     * @param endpoint the subscriber's URL
     * @param messageId the {@code webhook-id}: the same on every attempt at one message (the
     *     CloudEvent's id is a good one), so that the receiver can drop duplicates
     * @param body the CloudEvent as JSON, exactly the bytes that are signed and sent
     * @param signer the subscription's signer
     * @throws IllegalArgumentException when the message id cannot be a {@code webhook-id} (see
     *     {@link WebhookSigner#sign}): a bug of the caller's, not a delivery failure
     */
    public DeliveryAttempt send(URI endpoint, String messageId, byte[] body, WebhookSigner signer) {
        WebhookHeaders headers = signer.sign(messageId, clock.instant(), body);
        long started = System.nanoTime();
        Optional<String> refusal = policy.formRefusal(endpoint);
        if (refusal.isPresent()) {
            return new DeliveryAttempt(DeliveryAttempt.Outcome.REFUSED_BY_POLICY, 0, since(started), refusal.get(), "");
        }
        HttpPost post = new HttpPost(endpoint);
        headers.asMap().forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, CLOUDEVENTS_JSON));
        ClassicHttpResponse response;
        try {
            response = client.executeOpen(null, post, null);
        } catch (IOException e) {
            return failure(e, since(started));
        }
        try {
            int status = response.getCode();
            String excerpt = excerpt(post, response.getEntity(), started);
            return answered(status, since(started), excerpt);
        } finally {
            // A close that fails must not turn an answer already received into a failure.
            closeQuietly(response);
        }
    }

    /** As {@link #send(URI, String, byte[], WebhookSigner)}, the body encoded as UTF-8. */
    public DeliveryAttempt send(URI endpoint, String messageId, String body, WebhookSigner signer) {
        return send(endpoint, messageId, body.getBytes(StandardCharsets.UTF_8), signer);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private static DeliveryAttempt answered(int status, Duration duration, String excerpt) {
        if (status >= 200 && status < 300) {
            return new DeliveryAttempt(DeliveryAttempt.Outcome.DELIVERED, status, duration, "HTTP " + status, excerpt);
        }
        String detail = status >= 300 && status < 400
                ? "HTTP " + status + ", a redirect: not followed, the subscriber should register the new URL"
                : "HTTP " + status;
        return new DeliveryAttempt(DeliveryAttempt.Outcome.FAILURE_STATUS, status, duration, detail, excerpt);
    }

    private DeliveryAttempt failure(IOException e, Duration duration) {
        EndpointRefusedException refused = refusalIn(e);
        if (refused != null) {
            return new DeliveryAttempt(DeliveryAttempt.Outcome.REFUSED_BY_POLICY, 0, duration, refused.reason(), "");
        }
        if (e instanceof ConnectTimeoutException) {
            return new DeliveryAttempt(DeliveryAttempt.Outcome.TIMED_OUT, 0, duration,
                    "no connection within " + connectTimeout.toMillis() + " ms", "");
        }
        if (e instanceof InterruptedIOException) {
            // SocketTimeoutException among them: the response did not come in time.
            return new DeliveryAttempt(DeliveryAttempt.Outcome.TIMED_OUT, 0, duration,
                    "no response within " + responseTimeout.toMillis() + " ms", "");
        }
        String detail;
        if (e instanceof UnknownHostException) {
            detail = "host not found: " + e.getMessage();
        } else if (e instanceof ConnectException) {
            detail = "could not connect: " + e.getMessage();
        } else if (e instanceof NoHttpResponseException) {
            detail = "the receiver closed the connection without answering";
        } else if (e instanceof SSLException) {
            detail = "TLS failed: " + e.getMessage();
        } else {
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new DeliveryAttempt(DeliveryAttempt.Outcome.CONNECTION_FAILED, 0, duration, shorten(detail), "");
    }

    private static @Nullable EndpointRefusedException refusalIn(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EndpointRefusedException refused) {
                return refused;
            }
        }
        return null;
    }

    /**
     * The start of the body, read for no longer than the response timeout in all, so that a
     * receiver trickling bytes cannot hold the sender. Best effort: the status has already decided
     * the outcome. When more is left, the connection is dropped rather than drained.
     */
    private String excerpt(HttpPost post, @Nullable HttpEntity entity, long started) {
        if (entity == null) {
            return "";
        }
        byte[] buffer = new byte[RESPONSE_EXCERPT_BYTES];
        int filled = 0;
        boolean finished = false;
        long deadline = started + responseTimeout.toNanos();
        try {
            InputStream in = entity.getContent();
            while (filled < buffer.length && System.nanoTime() - deadline < 0) {
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    finished = true;
                    break;
                }
                filled += read;
            }
            if (!finished && filled == buffer.length) {
                finished = in.read() < 0;
            }
        } catch (IOException e) {
            finished = false;
        }
        if (!finished) {
            post.cancel();
        }
        return new String(buffer, 0, filled, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // The connection is discarded either way; nothing for the caller to do.
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private static String shorten(String text) {
        return text.length() <= DETAIL_CHARACTERS ? text : text.substring(0, DETAIL_CHARACTERS - 1) + "…";
    }
}
