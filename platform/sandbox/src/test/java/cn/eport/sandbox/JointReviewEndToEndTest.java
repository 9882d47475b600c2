package cn.eport.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import cn.eport.localinfra.EportTopics;
import cn.eport.sandbox.registries.RegistrySimulator;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole pipeline: all eight services in one JVM against one real Kafka broker and one real
 * PostgreSQL, driven the way an enterprise and an outside producer would drive them.
 */
class JointReviewEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RegistrySimulator registries;
    private static EportSystem system;
    private static KafkaProbe probe;

    @BeforeAll
    static void startTheWholeSystem() {
        TestInfrastructure.Endpoints endpoints = TestInfrastructure.endpoints();
        registries = RegistrySimulator.start(0, SampleData.enterprises(), LocalDate.now());
        system = EportSystem.start(EportSystem.withRegistries(EportSystem.withDevelopmentKeys(Map.of(
                "spring.datasource.url", endpoints.jdbcUrl(),
                "spring.datasource.username", endpoints.username(),
                "spring.datasource.password", endpoints.password(),
                "spring.kafka.bootstrap-servers", endpoints.kafkaBootstrapServers(),
                "server.port", "0",
                // Parked checks come back within seconds here, not minutes.
                "eport.agency-check.recheck-first-delay", "500ms",
                "eport.agency-check.recheck-max-delay", "2s",
                "eport.registry.circuit-breaker.open-for", "1s")), registries));
        List<String> topics = new ArrayList<>(EportTopics.published());
        EportSystem.SERVICES.forEach(service -> topics.add(Topics.deadLetters(service.name())));
        probe = new KafkaProbe(endpoints.kafkaBootstrapServers(), topics);
    }

    @AfterAll
    static void stopIt() {
        if (probe != null) {
            probe.close();
        }
        if (system != null) {
            system.close();
        }
        if (registries != null) {
            registries.close();
        }
    }

    @Test
    void aValidApplicationGetsOneVerdictFromEachAgencyAndItsCards() throws Exception {
        HttpResponse<String> response = submit(DevTokens.applicant("enterprise-e2e-1"), SampleForms.valid());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String id = JSON.readTree(response.body()).get("applicationId").asString();

        List<KafkaProbe.Record> records = probe.awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);

        for (Agency agency : Agency.values()) {
            List<KafkaProbe.Record> verdicts = onTopic(records, Topics.verdicts(agency), id);
            assertThat(verdicts).as("verdicts of " + agency).hasSize(1);
            assertThat(JSON.readTree(verdicts.get(0).value()).get("outcome").asString()).isEqualTo("APPROVED");
        }
        JsonNode cards = JSON.readTree(cardsFor(records, id).get(0).value());
        assertThat(cards.get("operatorCards")).hasSize(3);
        assertThat(cards.get("legalPersonCard").get("maskedIdNumber").asString()).isEqualTo("110***********002X");
        assertThat(new String(cardsFor(records, id).get(0).value(), StandardCharsets.UTF_8)).doesNotContain("11010519491231002X");
        assertThat(awaitStatus(DevTokens.applicant("enterprise-e2e-1"), id, "CARDS_ISSUED").get("slipNumber").asString())
                .matches("YY[0-9]{13}");
    }

    @Test
    void aWrongOrganisationCodeCheckCharacterNeverReachesTheAgencies() throws Exception {
        HttpResponse<String> response = submit(DevTokens.applicant("enterprise-e2e-2"),
                SampleForms.legacy("D2143569-1", "350100D21435691"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors.toString()).contains("enterprise.organisationCode", "WRONG_CHECK_CHARACTER",
                "enterprise.taxRegistrationNumber");
    }

    @Test
    void anApplicationThatBypassedIntakeWithAWrongCheckCharacterIsRejectedByTheQualityCheck() throws Exception {
        ObjectNode application = (ObjectNode) JSON.valueToTree(applicationSubmitted(UUID.randomUUID()));
        ObjectNode enterprise = (ObjectNode) application.get("enterprise");
        enterprise.remove("uscc");
        enterprise.put("organisationCode", "D2143569-1");
        enterprise.put("taxRegistrationNumber", "350100D21435691");
        String id = application.get("applicationId").asString();

        publishApplication(id, UUID.randomUUID().toString(), application);

        List<KafkaProbe.Record> records = probe.awaitUntil(seen -> onTopic(seen, Topics.verdicts(Agency.QUALITY), id).size() == 1
                && onTopic(seen, Topics.verdicts(Agency.TAX), id).size() == 1, PATIENCE);
        JsonNode quality = JSON.readTree(onTopic(records, Topics.verdicts(Agency.QUALITY), id).get(0).value());
        assertThat(quality.get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(quality.get("reasons").get(0).get("code").asString()).isEqualTo("QUALITY_ORGANISATION_CODE_CHECK_CHARACTER");
        assertThat(quality.get("reasons").get(0).get("zh").asString()).contains("校验码");
        JsonNode tax = JSON.readTree(onTopic(records, Topics.verdicts(Agency.TAX), id).get(0).value());
        assertThat(tax.get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(cardsFor(probe.readFor(Duration.ofSeconds(2)), id)).isEmpty();
    }

    @Test
    void theSameEventPublishedThreeTimesGivesOneVerdictPerAgencyAndOneCardSet() throws Exception {
        UUID applicationId = UUID.randomUUID();
        JsonNode application = JSON.valueToTree(applicationSubmitted(applicationId));
        String eventId = UUID.randomUUID().toString();

        publishApplication(applicationId.toString(), eventId, application);
        publishApplication(applicationId.toString(), eventId, application);
        publishApplication(applicationId.toString(), eventId, application);
        // The same revision again under a new event id, as a producer retrying without its outbox might.
        publishApplication(applicationId.toString(), UUID.randomUUID().toString(), application);

        String id = applicationId.toString();
        probe.awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        List<KafkaProbe.Record> settled = probe.readFor(Duration.ofSeconds(3));
        for (Agency agency : Agency.values()) {
            assertThat(onTopic(settled, Topics.verdicts(agency), id)).as("verdicts of " + agency).hasSize(1);
        }
        assertThat(cardsFor(settled, id)).hasSize(1);
    }

    @Test
    void aRecordThatIsNotJsonIsDeadLetteredWithItsReasonAndTheNextApplicationStillCompletes() throws Exception {
        String poisonKey = UUID.randomUUID().toString();
        probe.send(Topics.APPLICATIONS, poisonKey, Map.of("ce_id", UUID.randomUUID().toString(),
                "ce_type", "cn.eport.application.submitted.v1", "ce_source", "/somewhere/else", "ce_specversion", "1.0",
                "ce_time", Instant.now().toString(), "ce_subject", poisonKey), "{not json".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = submit(DevTokens.applicant("enterprise-e2e-5"), SampleForms.valid());
        String id = JSON.readTree(response.body()).get("applicationId").asString();

        List<KafkaProbe.Record> records = probe.awaitUntil(seen -> cardsFor(seen, id).size() == 1
                && seen.stream().filter(r -> r.topic().startsWith("eport.dlt.") && poisonKey.equals(r.key())).count() == 7, PATIENCE);

        List<KafkaProbe.Record> deadLetters = records.stream().filter(r -> poisonKey.equals(r.key())
                && r.topic().startsWith("eport.dlt.")).toList();
        assertThat(deadLetters).extracting(KafkaProbe.Record::topic).containsExactlyInAnyOrder(
                "eport.dlt.quality-check", "eport.dlt.commerce-check", "eport.dlt.tax-check", "eport.dlt.trade-check",
                "eport.dlt.forex-check", "eport.dlt.customs-check", "eport.dlt.card-issuance");
        assertThat(deadLetters.get(0).header("x-dlt-reason")).startsWith("body is not valid JSON");
        assertThat(deadLetters.get(0).header("x-dlt-original-topic")).isEqualTo(Topics.APPLICATIONS);
        assertThat(deadLetters.get(0).text()).isEqualTo("{not json");
    }

    @Test
    void aForgedApprovalNeverLeadsToCardsButTheTradeReviewersApprovalDoes() throws Exception {
        SampleEnterprise unknown = SampleForms.withFate(SampleEnterprise.Fate.TRADE_CERTIFICATE_UNKNOWN);
        String applicant = "enterprise-e2e-forged";
        HttpResponse<String> response = submit(DevTokens.applicant(applicant), SampleForms.of(unknown));
        String id = JSON.readTree(response.body()).get("applicationId").asString();
        probe.awaitUntil(seen -> onTopic(seen, Topics.verdicts(Agency.TRADE), id).size() == 1, PATIENCE);
        JsonNode referral = JSON.readTree(onTopic(probe.seen(), Topics.verdicts(Agency.TRADE), id).get(0).value());
        assertThat(referral.get("outcome").asString()).isEqualTo("REFERRED");
        assertThat(referral.get("reasons").get(0).get("code").asString()).isEqualTo("TRADE_QUALIFICATION_CERTIFICATE_STATUS_UNKNOWN");

        // Someone with write access to the topic, but not the trade agency's key, approves it by hand.
        ObjectNode forged = (ObjectNode) referral.deepCopy();
        forged.put("outcome", "APPROVED");
        forged.set("reasons", JSON.createArrayNode());
        probe.send(Topics.verdicts(Agency.TRADE), id, Map.of("ce_id", UUID.randomUUID().toString(),
                "ce_type", "cn.eport.verdict.issued.v1", "ce_source", "/eport/trade-check", "ce_specversion", "1.0",
                "ce_time", Instant.now().toString(), "ce_subject", id), JSON.writeValueAsBytes(forged));

        List<KafkaProbe.Record> records = probe.awaitUntil(seen -> seen.stream().anyMatch(r -> r.topic().equals("eport.dlt.card-issuance")
                && id.equals(r.key())), PATIENCE);
        KafkaProbe.Record deadLetter = records.stream().filter(r -> r.topic().equals("eport.dlt.card-issuance") && id.equals(r.key()))
                .findFirst().orElseThrow();
        assertThat(deadLetter.header("x-dlt-reason")).isEqualTo("signature does not verify with the public key of agency TRADE");
        assertThat(cardsFor(probe.readFor(Duration.ofSeconds(2)), id)).isEmpty();

        HttpResponse<String> decided = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + system.port("trade-check")
                        + "/api/reviews/" + id + "/1/decision"))
                .header("Authorization", "Bearer " + DevTokens.reviewer("trade-reviewer-01", "trade"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\": \"APPROVED\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);

        probe.awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        assertThat(awaitStatus(DevTokens.applicant(applicant), id, "CARDS_ISSUED").get("agencies").toString())
                .contains("REVIEWER:trade-reviewer-01");
    }

    @Test
    void aRegistryOutageDelaysOneAgencysCheckUntilItsRegistryIsBack() throws Exception {
        registries.setDown(Agency.TAX, true);
        String id;
        try {
            HttpResponse<String> response = submit(DevTokens.applicant("enterprise-e2e-outage"), SampleForms.valid());
            id = JSON.readTree(response.body()).get("applicationId").asString();
            String submitted = id;
            probe.awaitUntil(seen -> Arrays.stream(Agency.values()).filter(a -> a != Agency.TAX)
                    .allMatch(a -> onTopic(seen, Topics.verdicts(a), submitted).size() == 1), PATIENCE);
            assertThat(onTopic(probe.readFor(Duration.ofSeconds(3)), Topics.verdicts(Agency.TAX), id)).isEmpty();
        } finally {
            registries.setDown(Agency.TAX, false);
        }
        String recovered = id;
        List<KafkaProbe.Record> records = probe.awaitUntil(seen -> cardsFor(seen, recovered).size() == 1, PATIENCE);
        assertThat(onTopic(records, Topics.verdicts(Agency.TAX), id)).hasSize(1);
    }

    @Test
    void operatorsReadEachAgencysMetricsWithTheOpsRoleAndNobodyElseDoes() throws Exception {
        URI prometheus = URI.create("http://localhost:" + system.port("tax-check") + "/actuator/prometheus");
        HttpResponse<String> scraped = HTTP.send(HttpRequest.newBuilder(prometheus)
                .header("Authorization", "Bearer " + DevTokens.ops("ops-e2e")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("eport_checks_started_total{agency=\"tax\"", "eport_verdicts_total{agency=\"tax\"",
                "eport_checks_parked{agency=\"tax\"", "eport_reviews_queue{agency=\"tax\"", "eport_registry_latency_seconds",
                "resilience4j_circuitbreaker_state{name=\"tax-registry\"");

        assertThat(HTTP.send(HttpRequest.newBuilder(prometheus).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(prometheus).header("Authorization", "Bearer "
                + DevTokens.applicant("enterprise-e2e")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + system.port("tax-check")
                + "/actuator/health/readiness")).GET().build(), HttpResponse.BodyHandlers.ofString()).body()).contains("UP");
    }

    private static Map<String, Object> applicationSubmitted(UUID applicationId) {
        Map<String, Object> form = SampleForms.valid();
        @SuppressWarnings("unchecked")
        Map<String, Object> enterprise = new LinkedHashMap<>((Map<String, Object>) form.get("enterprise"));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("applicationId", applicationId.toString());
        event.put("revision", 1);
        event.put("slipNumber", "YY2026000000013");
        event.put("submittedAt", Instant.now().toString());
        event.put("channel", "ONLINE");
        event.put("submittedBy", "enterprise-e2e");
        event.put("enterprise", enterprise);
        event.put("legalRepresentative", Map.of("name", "林晓明", "maskedIdNumber", "110***********002X"));
        event.put("operators", List.of(Map.of("name", "陈静", "maskedIdNumber", "350***********0021",
                "customsBrokerCertificate", "BG35010001")));
        return event;
    }

    private static void publishApplication(String key, String eventId, JsonNode body) {
        probe.send(Topics.APPLICATIONS, key, Map.of("ce_id", eventId, "ce_type", "cn.eport.application.submitted.v1",
                "ce_source", "/eport/intake", "ce_specversion", "1.0", "ce_time", Instant.now().toString(),
                "ce_subject", key, "content-type", "application/json"), JSON.writeValueAsBytes(body));
    }

    private static HttpResponse<String> submit(String token, Map<String, Object> form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(intake("/api/applications"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(form))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode awaitStatus(String token, String id, String status) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(intake("/api/applications/" + id))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            last = JSON.readTree(response.body());
            if (response.statusCode() == 200 && status.equals(last.get("status").asString())) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status never became " + status + "; last: " + last);
    }

    private static URI intake(String path) {
        return URI.create("http://localhost:" + system.port("intake") + path);
    }

    private static List<KafkaProbe.Record> onTopic(List<KafkaProbe.Record> records, String topic, String key) {
        return records.stream().filter(r -> r.topic().equals(topic) && key.equals(r.key())).toList();
    }

    private static List<KafkaProbe.Record> cardsFor(List<KafkaProbe.Record> records, String key) {
        return onTopic(records, Topics.CARDS, key);
    }

}
