package cn.eport.agencycheck.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.agencycheck.Registry;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.agencycheck.RegistryRecord;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.client.RestClient;

/** The registry client against a registry that behaves well, and every way one does not. */
class HttpRegistryTest {

    @RegisterExtension
    static WireMockExtension registry = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final RegistryQuery CODE = new RegistryQuery("organisationCodeCertificate", "organisation-codes", "M000100Y4");
    private static final RegistryQuery OTHER = new RegistryQuery("organisationCodeCertificate", "organisation-codes", "D2143569X");
    private static final String LOOKUP = "/organisation-codes/lookup";
    private static final String CHANGES = "/changes";
    private static final String VALID = """
            {"records": [{"number": "M000100Y4", "holderName": "榕城进出口贸易有限公司", "status": "VALID", "validUntil": "2029-06-30"}]}""";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void readsTheRecordsItFindsAndTakesAMissingNumberAsNotRegistered() {
        registry.stubFor(post(LOOKUP).withRequestBody(equalToJson("{\"numbers\": [\"D2143569X\", \"M000100Y4\"]}"))
                .willReturn(okJson(VALID)));

        Map<RegistryQuery, Optional<RegistryRecord>> answers = client().lookUp(List.of(CODE, OTHER));

        assertThat(answers.get(CODE)).contains(new RegistryRecord("M000100Y4", "榕城进出口贸易有限公司",
                RegistryRecord.Status.VALID, LocalDate.of(2029, 6, 30), null));
        assertThat(answers.get(OTHER)).isEmpty();
        registry.verify(1, postRequestedFor(urlEqualTo(LOOKUP)));
    }

    @Test
    void asksOncePerCollectionHoweverManyRecordsARoundNeeds() {
        registry.stubFor(post(LOOKUP).willReturn(okJson("{\"records\": []}")));
        registry.stubFor(post("/broker-certificates/lookup").willReturn(okJson("{\"records\": []}")));

        client().lookUp(List.of(CODE, OTHER, new RegistryQuery("a", "broker-certificates", "BG1"),
                new RegistryQuery("b", "broker-certificates", "BG2"), new RegistryQuery("c", "broker-certificates", "BG1")));

        registry.verify(1, postRequestedFor(urlEqualTo(LOOKUP)));
        registry.verify(1, postRequestedFor(urlEqualTo("/broker-certificates/lookup"))
                .withRequestBody(equalToJson("{\"numbers\": [\"BG1\", \"BG2\"]}")));
    }

    @Test
    void readsARevokedRecordAsRevoked() {
        registry.stubFor(post(LOOKUP).willReturn(okJson("""
                {"records": [{"number": "M000100Y4", "holderName": "榕城进出口贸易有限公司", "status": "REVOKED", "validUntil": null}]}""")));

        assertThat(client().lookUp(List.of(CODE)).get(CODE)).map(RegistryRecord::status).contains(RegistryRecord.Status.REVOKED);
    }

    @Test
    void aRegistrySlowerThanTheTimeoutIsUnavailableAfterEveryAttempt() {
        registry.stubFor(post(LOOKUP).willReturn(okJson(VALID).withFixedDelay(1_500)));

        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);
        registry.verify(3, postRequestedFor(urlEqualTo(LOOKUP)));
    }

    @Test
    void aBurstOfServerErrorsIsRiddenOutByRetrying() {
        registry.stubFor(post(LOOKUP).inScenario("burst").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        registry.stubFor(post(LOOKUP).inScenario("burst").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        registry.stubFor(post(LOOKUP).inScenario("burst").whenScenarioStateIs("recovered").willReturn(okJson(VALID)));

        assertThat(client().lookUp(List.of(CODE)).get(CODE)).isPresent();
        registry.verify(3, postRequestedFor(urlEqualTo(LOOKUP)));
    }

    @Test
    void serverErrorsOnEveryAttemptMakeTheRegistryUnavailable() {
        registry.stubFor(post(LOOKUP).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class)
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void aNotFoundAnswerToTheLookupIsAFailureNotAVerdict() {
        registry.stubFor(post(LOOKUP).willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class)
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void aBodyThatIsNotAListOfRegistryRecordsMakesTheRegistryUnavailableRatherThanDecidingAnything() {
        registry.stubFor(post(LOOKUP).willReturn(okJson("{\"unexpected\": true}")));
        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);

        registry.stubFor(post(LOOKUP).willReturn(okJson("{\"records\": [{\"number\": \"M000100Y4\"}]}")));
        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);

        registry.stubFor(post(LOOKUP).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("<html>maintenance</html>")));
        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);
    }

    @Test
    void aDroppedConnectionMakesTheRegistryUnavailable() {
        registry.stubFor(post(LOOKUP).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> client().lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);
    }

    @Test
    void aRefusedConnectionMakesTheRegistryUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpRegistry nowhere = new HttpRegistry("quality", settings(URI.create("http://localhost:" + closedPort)),
                RestClient.builder(), meters);

        assertThatThrownBy(() -> nowhere.lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);
    }

    @Test
    void aRegistryThatKeepsFailingIsNoLongerCalledUntilTheCircuitHalfOpens() {
        registry.stubFor(post(LOOKUP).willReturn(aResponse().withStatus(500)));
        HttpRegistry client = client();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> client.lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class);
        }
        assertThat(client.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = registry.countRequestsMatching(postRequestedFor(urlEqualTo(LOOKUP)).build()).getCount();

        assertThatThrownBy(() -> client.lookUp(List.of(CODE))).isInstanceOf(Registry.RegistryUnavailableException.class)
                .hasMessageContaining("CircuitBreaker");
        assertThat(registry.countRequestsMatching(postRequestedFor(urlEqualTo(LOOKUP)).build()).getCount()).isEqualTo(calls);
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "quality-registry").tag("state", "open").gauge()
                .value()).isEqualTo(1.0);
    }

    @Test
    void recordsTheRegistrysLatency() {
        registry.stubFor(post(LOOKUP).willReturn(okJson(VALID)));

        client().lookUp(List.of(CODE));

        assertThat(meters.find("eport.registry.latency").tag("agency", "quality").tag("outcome", "answered").timer().count())
                .isEqualTo(1);
    }

    @Test
    void readsTheChangeFeedFromTheCursorItIsGiven() {
        registry.stubFor(get(urlPathEqualTo(CHANGES)).withQueryParam("after", equalTo("41")).withQueryParam("limit", equalTo("100"))
                .willReturn(okJson("""
                        {"changes": [
                          {"cursor": 42, "collection": "organisation-codes", "record": {"number": "M000100Y4",
                            "holderName": "榕城进出口贸易有限公司", "status": "REVOKED", "validUntil": "2029-06-30"}},
                          {"cursor": 45, "collection": "organisation-codes", "record": {"number": "D2143569X",
                            "holderName": "闽江贸易公司", "status": "VALID", "validUntil": null}}],
                         "next": 45}""")));

        Registry.RegistryChanges page = client().changesSince(41, 100);

        assertThat(page.next()).isEqualTo(45);
        assertThat(page.changes()).extracting(Registry.Change::cursor).containsExactly(42L, 45L);
        assertThat(page.changes().get(0)).isEqualTo(new Registry.Change(42, "organisation-codes", new RegistryRecord("M000100Y4",
                "榕城进出口贸易有限公司", RegistryRecord.Status.REVOKED, LocalDate.of(2029, 6, 30), null)));
    }

    @Test
    void aFeedWithNothingNewKeepsTheCursor() {
        registry.stubFor(get(urlPathEqualTo(CHANGES)).willReturn(okJson("{\"changes\": []}")));

        Registry.RegistryChanges page = client().changesSince(7, 100);

        assertThat(page.changes()).isEmpty();
        assertThat(page.next()).isEqualTo(7);
    }

    @Test
    void aFeedThatIsNotAPageOfChangesMakesTheRegistryUnavailableAndMovesNothing() {
        String revoked = "{\"number\": \"M000100Y4\", \"holderName\": \"榕城\", \"status\": \"REVOKED\"}";
        for (String body : List.of("{}", "[]", "{\"changes\": [null]}",
                "{\"changes\": [{\"cursor\": 8, \"record\": " + revoked + "}]}",
                "{\"changes\": [{\"cursor\": 8, \"collection\": \"organisation-codes\", \"record\": {\"number\": \"M000100Y4\"}}]}",
                "{\"changes\": [{\"cursor\": 7, \"collection\": \"organisation-codes\", \"record\": " + revoked + "}]}",
                "{\"changes\": [{\"cursor\": 9, \"collection\": \"c\", \"record\": " + revoked + "},"
                        + " {\"cursor\": 8, \"collection\": \"c\", \"record\": " + revoked + "}]}",
                "{\"changes\": [{\"cursor\": 9, \"collection\": \"c\", \"record\": " + revoked + "}], \"next\": 8}",
                "{\"changes\": [{\"cursor\": 9, \"collection\": \"c\", \"record\": {\"number\": \"M\", \"holderName\": \"h\","
                        + " \"status\": \"CANCELLED\"}}]}",
                "not json")) {
            registry.resetAll();
            registry.stubFor(get(urlPathEqualTo(CHANGES)).willReturn(okJson(body)));
            assertThatThrownBy(() -> client().changesSince(7, 100)).as(body)
                    .isInstanceOf(Registry.RegistryUnavailableException.class);
        }
    }

    @Test
    void aFeedThatKeepsFailingOpensItsOwnCircuitAndLeavesTheLookUpsAnswering() {
        registry.stubFor(get(urlPathEqualTo(CHANGES)).willReturn(aResponse().withStatus(503)));
        registry.stubFor(post(LOOKUP).willReturn(okJson(VALID)));
        HttpRegistry client = client();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> client.changesSince(0, 100)).isInstanceOf(Registry.RegistryUnavailableException.class)
                    .hasMessageContaining("changes after 0");
        }

        assertThat(client.feedCircuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(client.lookUp(List.of(CODE)).get(CODE)).isPresent();
        assertThat(client.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(registry.countRequestsMatching(getRequestedFor(urlPathEqualTo(CHANGES)).build()).getCount())
                .as("three attempts for each of the four calls, at most, and none once open").isLessThanOrEqualTo(12);
    }

    private HttpRegistry client() {
        return new HttpRegistry("quality", settings(URI.create(registry.baseUrl())), RestClient.builder(), meters);
    }

    private static RegistrySettings settings(URI baseUrl) {
        return new RegistrySettings(baseUrl, Duration.ofMillis(500), Duration.ofMillis(400),
                new RegistrySettings.Retry(3, Duration.ofMillis(20), 2.0, 0.5),
                new RegistrySettings.CircuitBreaker(50, 4, 4, Duration.ofSeconds(30)),
                new RegistrySettings.Bulkhead(4, Duration.ofMillis(100)));
    }
}
