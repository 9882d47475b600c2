package cn.eport.webhooks;

import static cn.eport.webhooks.FakeDns.ip;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import cn.eport.webhooks.DeliveryAttempt.Outcome;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP against a WireMock receiver on this machine, allowed by the development-mode policy. */
class WebhookSenderTest {

    private static final String EVENT = """
            {"specversion":"1.0","id":"evt-7f3a","source":"/eport/card-issuance","type":"cn.eport.card.issued","data":{"applicationId":"A-2026-000042"}}""";

    private static WireMockServer receiver;

    private final String secret = WebhookSigner.newSecret();
    private final WebhookSigner signer = new WebhookSigner(secret);
    private WebhookSender sender;

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void newSender() {
        receiver.resetAll();
        sender = new WebhookSender(EndpointPolicy.development(), Clock.systemUTC());
    }

    @AfterEach
    void closeSender() throws IOException {
        sender.close();
    }

    @Test
    void theReceiverGetsTheEventWithTheThreeHeadersAndASignatureThatVerifies() {
        receiver.stubFor(post("/hooks").willReturn(aResponse().withStatus(204)));

        DeliveryAttempt attempt = sender.send(endpoint("/hooks"), "evt-7f3a", EVENT, signer);

        assertThat(attempt.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(attempt.succeeded()).isTrue();
        assertThat(attempt.retryable()).isFalse();
        assertThat(attempt.httpStatus()).isEqualTo(204);
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo("/hooks")));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/cloudevents+json");
        assertThat(request.getBodyAsString()).isEqualTo(EVENT);
        assertThat(request.getHeader("webhook-id")).isEqualTo("evt-7f3a");
        assertThat(Long.parseLong(request.getHeader("webhook-timestamp")))
                .isCloseTo(Instant.now().getEpochSecond(), offset(5L));
        assertThat(request.getHeader("webhook-signature")).startsWith("v1,");
        // What a subscriber does with the secret we gave it:
        WebhookSigner receiversCopy = new WebhookSigner(secret);
        assertThat(receiversCopy.verify(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                request.getHeader("webhook-signature"), request.getBody(), Instant.now())).isEqualTo(WebhookSigner.Verification.VALID);
    }

    @Test
    void aServerErrorIsARetryableFailureWithTheStartOfTheReceiversAnswer() {
        receiver.stubFor(post("/hooks").willReturn(aResponse().withStatus(500).withBody("database is down")));

        DeliveryAttempt attempt = sender.send(endpoint("/hooks"), "evt-1", EVENT, signer);

        assertThat(attempt.outcome()).isEqualTo(Outcome.FAILURE_STATUS);
        assertThat(attempt.succeeded()).isFalse();
        assertThat(attempt.retryable()).isTrue();
        assertThat(attempt.httpStatus()).isEqualTo(500);
        assertThat(attempt.detail()).isEqualTo("HTTP 500");
        assertThat(attempt.responseExcerpt()).isEqualTo("database is down");
    }

    @Test
    void aClientErrorIsAFailureToRetryToo() {
        receiver.stubFor(post("/hooks").willReturn(aResponse().withStatus(400)));

        DeliveryAttempt attempt = sender.send(endpoint("/hooks"), "evt-1", EVENT, signer);

        assertThat(attempt.outcome()).isEqualTo(Outcome.FAILURE_STATUS);
        assertThat(attempt.retryable()).isTrue();
    }

    @Test
    void aResponseSlowerThanTheResponseTimeoutIsARetryableTimeout() throws IOException {
        receiver.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        try (WebhookSender impatient = new WebhookSender(EndpointPolicy.development(), Clock.systemUTC(),
                Duration.ofSeconds(5), Duration.ofMillis(500))) {

            DeliveryAttempt attempt = impatient.send(endpoint("/slow"), "evt-1", EVENT, signer);

            assertThat(attempt.outcome()).isEqualTo(Outcome.TIMED_OUT);
            assertThat(attempt.retryable()).isTrue();
            assertThat(attempt.httpStatus()).isZero();
            assertThat(attempt.detail()).isEqualTo("no response within 500 ms");
            assertThat(attempt.duration()).isBetween(Duration.ofMillis(400), Duration.ofMillis(2_500));
        }
    }

    @Test
    void aRedirectIsNotFollowed() {
        receiver.stubFor(post("/old").willReturn(aResponse().withStatus(307).withHeader("Location", endpoint("/new").toString())));
        receiver.stubFor(post("/new").willReturn(aResponse().withStatus(200)));

        DeliveryAttempt attempt = sender.send(endpoint("/old"), "evt-1", EVENT, signer);

        assertThat(attempt.outcome()).isEqualTo(Outcome.FAILURE_STATUS);
        assertThat(attempt.httpStatus()).isEqualTo(307);
        assertThat(attempt.detail()).contains("redirect", "not followed");
        receiver.verify(0, postRequestedFor(urlEqualTo("/new")));
    }

    @Test
    void aRefusedConnectionIsARetryableConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        DeliveryAttempt attempt = sender.send(URI.create("http://127.0.0.1:" + closedPort + "/hooks"), "evt-1", EVENT, signer);

        assertThat(attempt.outcome()).isEqualTo(Outcome.CONNECTION_FAILED);
        assertThat(attempt.retryable()).isTrue();
        assertThat(attempt.detail()).startsWith("could not connect");
    }

    @Test
    void onlyTheStartOfALongResponseIsKept() {
        receiver.stubFor(post("/chatty").willReturn(aResponse().withStatus(502).withBody("x".repeat(200_000))));

        DeliveryAttempt attempt = sender.send(endpoint("/chatty"), "evt-1", EVENT, signer);

        assertThat(attempt.httpStatus()).isEqualTo(502);
        assertThat(attempt.responseExcerpt()).hasSize(WebhookSender.RESPONSE_EXCERPT_BYTES);
    }

    @Test
    void plainHttpOutsideDevelopmentModeNeverReachesTheReceiver() throws IOException {
        receiver.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
        try (WebhookSender strict = new WebhookSender(EndpointPolicy.production(), Clock.systemUTC())) {

            DeliveryAttempt attempt = strict.send(endpoint("/hooks"), "evt-1", EVENT, signer);

            assertThat(attempt.outcome()).isEqualTo(Outcome.REFUSED_BY_POLICY);
            assertThat(attempt.retryable()).isFalse();
            assertThat(attempt.detail()).isEqualTo("plain http is not accepted; use https");
        }
        receiver.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * A listening socket proves it: the kernel completes a TCP handshake into the backlog even
     * before anyone accepts, so a connection attempt, TLS or not, would be there to accept.
     */
    @Test
    void aHostThePolicyRefusesAfterResolvingItNeverGetsAConnection() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            FakeDns dns = new FakeDns().answer("hooks.example.com", ip("127.0.0.1"));
            try (WebhookSender strict = new WebhookSender(new EndpointPolicy(false, dns), Clock.systemUTC())) {

                DeliveryAttempt attempt = strict.send(
                        URI.create("https://hooks.example.com:" + listener.getLocalPort() + "/hooks"), "evt-1", EVENT, signer);

                assertThat(attempt.outcome()).isEqualTo(Outcome.REFUSED_BY_POLICY);
                assertThat(attempt.retryable()).isFalse();
                assertThat(attempt.detail()).isEqualTo("the host hooks.example.com resolves to 127.0.0.1, a loopback address (this machine)");
                assertThat(dns.asked()).containsOnly("hooks.example.com");
            }
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aNameThatRebindsToThisMachineAfterRegistrationGetsNoConnection() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("https://rebinding.example.com:" + listener.getLocalPort() + "/hooks");
            FakeDns dns = new FakeDns().answer("rebinding.example.com", ip("93.184.215.14"));
            EndpointPolicy policy = new EndpointPolicy(false, dns);
            assertThat(policy.check(url).accepted()).isTrue();

            dns.answer("rebinding.example.com", ip("127.0.0.1"));
            try (WebhookSender strict = new WebhookSender(policy, Clock.systemUTC())) {

                DeliveryAttempt attempt = strict.send(url, "evt-1", EVENT, signer);

                assertThat(attempt.outcome()).isEqualTo(Outcome.REFUSED_BY_POLICY);
            }
            listener.setSoTimeout(300);
            assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theSameMessageKeepsItsIdAndGetsAFreshTimestampOnEachAttempt() throws IOException {
        receiver.stubFor(post("/hooks").willReturn(aResponse().withStatus(503)));
        Instant first = Instant.parse("2026-03-02T08:00:00Z");
        MutableClock clock = new MutableClock(first);
        try (WebhookSender clocked = new WebhookSender(EndpointPolicy.development(), clock)) {
            clocked.send(endpoint("/hooks"), "evt-9", EVENT, signer);
            clock.now = first.plusSeconds(7);
            clocked.send(endpoint("/hooks"), "evt-9", EVENT, signer);
        }

        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo("/hooks")).withHeader("webhook-id", equalTo("evt-9")));
        assertThat(requests).extracting(request -> request.getHeader("webhook-timestamp"))
                .containsExactlyInAnyOrder(Long.toString(first.getEpochSecond()), Long.toString(first.getEpochSecond() + 7));
    }

    private static URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + receiver.port() + path);
    }

    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
