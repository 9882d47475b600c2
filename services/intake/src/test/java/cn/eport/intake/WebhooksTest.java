package cn.eport.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import cn.eport.webhooks.WebhookHeaders;
import cn.eport.webhooks.WebhookSigner;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks against a real HTTP receiver (WireMock, on loopback, which development mode allows) with
 * intake on real PostgreSQL and Kafka: every change of an application reaches its subscriber signed
 * with the subscription's secret, in sequence order and without gaps, after the endpoint was down, too
 * slow, or asked for a replay; endpoints on private and link-local addresses are refused.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0",
        "eport.intake.webhooks.allow-loopback=true", "eport.intake.webhooks.poll-interval=100ms",
        "eport.intake.webhooks.first-retry=200ms", "eport.intake.webhooks.max-retry-wait=1s",
        "eport.intake.webhooks.response-timeout=1s", "eport.intake.webhooks.give-up-after=8s"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class WebhooksTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final WireMockServer receiver = new WireMockServer(wireMockConfig().dynamicPort());
    /** The published schema of the webhook body, as an integrator would validate against it. */
    private static final com.networknt.schema.Schema WEBHOOK_SCHEMA = com.networknt.schema.SchemaRegistry.withDefaultDialect(
                    com.networknt.schema.SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(
                            com.networknt.schema.SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
            .getSchema(com.networknt.schema.SchemaLocation.of("classpath:META-INF/resources/eport/contracts/"
                    + cn.eport.contracts.WebhookMessages.APPLICATION_CHANGED + ".schema.json"));

    static {
        receiver.start();
    }

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void noSubscriptionOutlivesItsTest() {
        jdbc.sql("DELETE FROM webhook_subscriptions").update();
        jdbc.sql("DELETE FROM webhook_deliveries").update();
        receiver.resetAll();
    }

    /**
     * What reached the endpoint at {@code path}, oldest first, once per message: delivery is at least
     * once, and an attempt the sender gave up on (a timeout) may still have reached the receiver.
     */
    private static List<ServeEvent> receivedOnce(String path) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return receiver.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(path))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .filter(e -> seen.add(e.getRequest().getHeader(WebhookHeaders.ID))).toList();
    }

    @Test
    void aSubscriberDownForAWhileThenGetsEveryChangeInOrderWithoutGapsSignedWithItsSecret() throws Exception {
        String account = "enterprise-webhooks-" + UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(500)));
        JsonNode subscription = subscribe(DevTokens.applicant(account), "{\"url\": \"" + receiver.baseUrl() + path + "\"}");
        String secret = subscription.get("secret").asString();
        assertThat(secret).startsWith("whsec_");

        UUID application = submit(account);
        for (Agency agency : Agency.values()) {
            publishVerdict(application, agency, Outcome.APPROVED);
        }
        long changes = 7; // submitted, six verdicts
        await(() -> messages(application) == changes);
        // Down: the first change was tried more than once, and nothing behind it went out.
        await(() -> receiver.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals(path)).count() >= 3);
        assertThat(delivered(subscription, application)).isZero();

        receiver.resetAll();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        await(() -> delivered(subscription, application) == changes);

        List<ServeEvent> received = receivedOnce(path);
        List<Long> sequences = new ArrayList<>();
        WebhookSigner signer = new WebhookSigner(secret);
        for (ServeEvent event : received) {
            byte[] body = event.getRequest().getBody();
            assertThat(signer.verify(event.getRequest().getHeader(WebhookHeaders.ID), event.getRequest().getHeader(WebhookHeaders.TIMESTAMP),
                    event.getRequest().getHeader(WebhookHeaders.SIGNATURE), body, Instant.now()).valid()).isTrue();
            JsonNode cloudEvent = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            assertThat(WEBHOOK_SCHEMA.validate(cloudEvent)).as(cloudEvent.toString()).isEmpty();
            assertThat(event.getRequest().getHeader("Content-Type")).startsWith("application/cloudevents+json");
            assertThat(cloudEvent.get("specversion").asString()).isEqualTo("1.0");
            assertThat(cloudEvent.get("type").asString()).isEqualTo(WebhookNotifications.TYPE);
            assertThat(cloudEvent.get("subject").asString()).isEqualTo(application.toString());
            assertThat(cloudEvent.get("id").asString()).isEqualTo(event.getRequest().getHeader(WebhookHeaders.ID));
            sequences.add(cloudEvent.get("data").get("sequence").asLong());
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        JsonNode last = JSON.readTree(received.get(received.size() - 1).getRequest().getBodyAsString()).get("data");
        assertThat(last.get("status").asString()).isEqualTo("APPROVED");
        assertThat(last.get("change").get("what").asString()).isEqualTo("VERDICT");
        assertThat(received.get(0).getRequest().getBodyAsString()).doesNotContain(SampleForm.RESIDENT_ID_NUMBER);

        // The delivery log: the first change took several attempts, the first ones answered 500.
        JsonNode log = deliveries(subscription, application, DevTokens.applicant(account));
        assertThat(log.get(0).get("sequence").asLong()).isEqualTo(1);
        assertThat(log.get(0).get("attempts").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(log.get(0).get("state").asString()).isEqualTo("DELIVERED");

        // A replay from sequence 5 sends 5, 6 and 7 again, in order.
        receiver.resetRequests();
        http.perform(MockMvcRequestBuilders.post("/api/webhooks/" + subscription.get("id").asString() + "/replay")
                        .header("Authorization", "Bearer " + DevTokens.applicant(account)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"applicationId\": \"" + application + "\", \"fromSequence\": 5}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.requeued").value(3));
        await(() -> receivedOnce(path).size() >= 3 && delivered(subscription, application) == changes);
        assertThat(receivedOnce(path).stream()
                .map(e -> JSON.readTree(e.getRequest().getBodyAsString()).get("data").get("sequence").asLong()).toList())
                .containsExactly(5L, 6L, 7L);
    }

    @Test
    void anEndpointSlowerThanTheTimeoutFailsAndIsTriedAgainUntilItAnswersInTime() throws Exception {
        String account = "enterprise-webhooks-" + UUID.randomUUID();
        String path = "/slow/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        JsonNode subscription = subscribe(DevTokens.applicant(account), "{\"url\": \"" + receiver.baseUrl() + path + "\"}");
        UUID application = submit(account);

        await(() -> jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = ? AND attempts > 0 AND last_error IS NOT NULL")
                .param(UUID.fromString(subscription.get("id").asString())).query(Long.class).single() > 0);
        JsonNode log = deliveries(subscription, application, DevTokens.applicant(account));
        assertThat(log.get(0).get("state").asString()).isEqualTo("PENDING");
        assertThat(log.get(0).get("lastError").asString()).contains("no response within 1000 ms");

        receiver.resetAll();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        await(() -> delivered(subscription, application) == messages(application));
    }

    @Test
    void aSubscriptionThatKeepsFailingIsDisabledWithItsReasonAndAReplayAfterEnablingDeliversWhatItMissed() throws Exception {
        String account = "enterprise-webhooks-" + UUID.randomUUID();
        String path = "/gone/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(503)));
        JsonNode subscription = subscribe(DevTokens.applicant(account), "{\"url\": \"" + receiver.baseUrl() + path + "\"}");
        String id = subscription.get("id").asString();
        String token = "Bearer " + DevTokens.applicant(account);
        UUID application = submit(account);

        // give-up-after is 8 s here (24 h by default): then the subscription is disabled, saying why.
        await(() -> subscriptions(id).get("disabledAt") != null && !subscriptions(id).get("disabledAt").isNull());
        JsonNode disabled = subscriptions(id);
        assertThat(disabled.get("active").asBoolean()).isFalse();
        assertThat(disabled.get("disabledReason").asString()).contains("8s of retries", "503");
        JsonNode log = deliveries(subscription, application, DevTokens.applicant(account));
        assertThat(log.get(0).get("state").asString()).isEqualTo("DEAD");
        assertThat(log.get(0).get("lastStatus").asInt()).isEqualTo(503);

        receiver.resetAll();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        http.perform(MockMvcRequestBuilders.post("/api/webhooks/" + id + "/enable").header("Authorization", token))
                .andExpect(status().isOk()).andExpect(jsonPath("$.active").value(true));
        http.perform(MockMvcRequestBuilders.post("/api/webhooks/" + id + "/replay").header("Authorization", token)
                .contentType(MediaType.APPLICATION_JSON).content("{\"fromSequence\": 1}")).andExpect(status().isOk());
        await(() -> delivered(subscription, application) == messages(application));
    }

    private JsonNode subscriptions(String id) {
        try {
            return JSON.readTree(http.perform(get("/api/webhooks/" + id).header("Authorization", "Bearer " + DevTokens.ops("ops-webhooks")))
                    .andReturn().getResponse().getContentAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void endpointsOnPrivateLoopbackOrLinkLocalAddressesAreRefusedAndTheInternetOnlyOverHttps() throws Exception {
        String applicant = DevTokens.applicant("enterprise-webhooks-ssrf");
        for (String url : List.of("https://10.0.0.5/hooks", "https://192.168.1.20/hooks", "https://172.16.0.1/hooks",
                "https://169.254.169.254/latest/meta-data", "https://[fe80::1]/hooks", "https://[fd00::1]/hooks",
                "https://100.64.0.1/hooks", "http://93.184.215.14/hooks", "ftp://localhost/hooks", "https://user:pw@localhost/hooks",
                "not a url at all")) {
            http.perform(MockMvcRequestBuilders.post("/api/webhooks").header("Authorization", "Bearer " + applicant)
                            .contentType(MediaType.APPLICATION_JSON).content("{\"url\": " + JSON.writeValueAsString(url) + "}"))
                    .andExpect(status().isBadRequest());
        }
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_subscriptions WHERE created_by = 'enterprise-webhooks-ssrf'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void onlyAnIntegratorSubscribesToEveryApplicationOrOneAgencysVerdictsAndNobodyReadsAnothersSubscription() throws Exception {
        String url = "{\"url\": \"" + receiver.baseUrl() + "/any\", \"scope\": \"ALL\"}";
        http.perform(MockMvcRequestBuilders.post("/api/webhooks").header("Authorization", "Bearer " + DevTokens.applicant("enterprise-a"))
                .contentType(MediaType.APPLICATION_JSON).content(url)).andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.post("/api/webhooks").header("Authorization", "Bearer " + DevTokens.reviewer("r-1", "tax"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"url\": \"" + receiver.baseUrl() + "/any\"}")).andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.post("/api/webhooks").contentType(MediaType.APPLICATION_JSON).content(url))
                .andExpect(status().isUnauthorized());

        String integrator = DevTokens.integrator("integrator-" + UUID.randomUUID());
        String taxPath = "/tax/" + UUID.randomUUID();
        receiver.stubFor(post(urlEqualTo(taxPath)).willReturn(aResponse().withStatus(200)));
        JsonNode taxOnly = subscribe(integrator, "{\"url\": \"" + receiver.baseUrl() + taxPath + "\", \"scope\": \"AGENCY\", \"agency\": \"tax\"}");
        http.perform(get("/api/webhooks/" + taxOnly.get("id").asString()).header("Authorization", "Bearer " + DevTokens.applicant("enterprise-a")))
                .andExpect(status().isNotFound());
        http.perform(get("/api/webhooks/" + taxOnly.get("id").asString()).header("Authorization", "Bearer " + integrator))
                .andExpect(status().isOk()).andExpect(jsonPath("$.secret").doesNotExist()).andExpect(jsonPath("$.agency").value("TAX"));

        UUID application = submit("enterprise-webhooks-" + UUID.randomUUID());
        publishVerdict(application, Agency.QUALITY, Outcome.APPROVED);
        publishVerdict(application, Agency.TAX, Outcome.APPROVED);
        await(() -> delivered(taxOnly, application) == 1);
        Thread.sleep(500);
        List<ServeEvent> received = receivedOnce(taxPath).stream()
                .filter(e -> e.getRequest().getBodyAsString().contains(application.toString())).toList();
        assertThat(received).as(received.stream().map(e -> e.getRequest().getLoggedDate() + " " + e.getRequest().getBodyAsString()).toList()
                .toString()).hasSize(1);
        assertThat(JSON.readTree(received.get(0).getRequest().getBodyAsString()).get("data").get("change").get("agency").asString())
                .isEqualTo("TAX");
        http.perform(MockMvcRequestBuilders.delete("/api/webhooks/" + taxOnly.get("id").asString()).header("Authorization", "Bearer " + integrator))
                .andExpect(status().isNoContent());
        // The webhook API is in intake's OpenAPI document.
        http.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/webhooks'].post").exists())
                .andExpect(jsonPath("$.paths['/api/webhooks/{id}/deliveries'].get").exists())
                .andExpect(jsonPath("$.paths['/api/webhooks/{id}/replay'].post").exists());
    }

    private JsonNode subscribe(String token, String body) throws Exception {
        String answer = http.perform(MockMvcRequestBuilders.post("/api/webhooks").header("Authorization", "Bearer " + token)
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return JSON.readTree(answer);
    }

    private UUID submit(String account) throws Exception {
        String answer = http.perform(MockMvcRequestBuilders.post("/api/applications").header("Authorization", "Bearer " + DevTokens.applicant(account))
                        .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().json()))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(JSON.readTree(answer).get("applicationId").asString());
    }

    private static void publishVerdict(UUID application, Agency agency, Outcome outcome) {
        VerdictSignatures signatures = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(agency.id()), Map.of()));
        VerdictIssued verdict = signatures.sign(new VerdictIssued(application, 1, agency, outcome, List.of(),
                new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.verdicts(agency)))) {
            kafka.send(Topics.verdicts(agency), application.toString(), CloudEventHeaders.of(verdict, UUID.randomUUID().toString(),
                    "/eport/" + agency.id() + "-check", Instant.now()), JSON.writeValueAsBytes(verdict));
        }
    }

    private JsonNode deliveries(JsonNode subscription, UUID application, String token) throws Exception {
        return JSON.readTree(http.perform(get("/api/webhooks/" + subscription.get("id").asString() + "/deliveries?applicationId=" + application)
                .header("Authorization", "Bearer " + token)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private long messages(UUID application) {
        return jdbc.sql("SELECT count(*) FROM webhook_messages WHERE application_id = ?").param(application).query(Long.class).single();
    }

    private long delivered(JsonNode subscription, UUID application) {
        return jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE subscription_id = ? AND application_id = ? AND state = 'DELIVERED'")
                .params(UUID.fromString(subscription.get("id").asString()), application).query(Long.class).single();
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + PATIENCE);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
