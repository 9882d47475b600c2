package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.cardsFor;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.onTopic;
import static cn.eport.sandbox.RunningSystem.post;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.submit;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import cn.eport.identifiers.AppointmentSlipNumber;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole pipeline: every service against one real Kafka broker and one real PostgreSQL, driven
 * the way an enterprise, a telecom clerk and an outside producer would drive it.
 */
@ExtendWith(RunningSystem.Extension.class)
class PipelineEndToEndTest {

    @Test
    void aValidApplicationGetsOneVerdictFromEachAgencyAndItsCardsOnceTelecomRegistersIt() throws Exception {
        String applicant = "enterprise-e2e-valid";
        JsonNode submitted = submit(applicant, SampleForms.valid());
        String id = submitted.get("applicationId").asString();
        String slip = submitted.get("slipNumber").asString();
        assertThat(AppointmentSlipNumber.isWellFormed(slip)).isTrue();

        List<KafkaProbe.Record> records = awaitVerdicts(id, 1);
        for (Agency agency : Agency.values()) {
            List<KafkaProbe.Record> verdicts = onTopic(records, Topics.verdicts(agency), id);
            assertThat(verdicts).as("verdicts of " + agency).hasSize(1);
            assertThat(JSON.readTree(verdicts.get(0).value()).get("outcome").asString()).isEqualTo("APPROVED");
        }
        awaitStatus(DevTokens.applicant(applicant), id, "APPROVED");
        assertThat(cardsFor(probe().readFor(Duration.ofSeconds(1)), id)).as("no cards before telecom").isEmpty();

        assertThat(registerAtTelecom(slip, "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);

        records = probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        JsonNode cards = JSON.readTree(cardsFor(records, id).get(0).value());
        assertThat(cards.get("operatorCards")).hasSize(3);
        assertThat(cards.get("slipNumber").asString()).isEqualTo(slip);
        assertThat(cards.get("legalPersonCard").get("maskedIdNumber").asString()).isEqualTo("110***********002X");
        assertThat(new String(cardsFor(records, id).get(0).value(), StandardCharsets.UTF_8)).doesNotContain("11010519491231002X");
        assertThat(awaitStatus(DevTokens.applicant(applicant), id, "CARDS_ISSUED").get("telecom").get("networkCardNumber"))
                .isNotNull();
    }

    @Test
    void aWrongOrganisationCodeCheckCharacterNeverReachesTheAgencies() throws Exception {
        HttpResponse<String> response = post("intake", "/api/applications", DevTokens.applicant("enterprise-e2e-typo"),
                SampleForms.legacy("D2143569-1", "350100D21435691"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("errors").toString()).contains("enterprise.organisationCode",
                "WRONG_CHECK_CHARACTER", "enterprise.taxRegistrationNumber");
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

        List<KafkaProbe.Record> records = awaitVerdicts(id, 1);
        JsonNode quality = JSON.readTree(onTopic(records, Topics.verdicts(Agency.QUALITY), id).get(0).value());
        assertThat(quality.get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(quality.get("reasons").get(0).get("code").asString()).isEqualTo("QUALITY_ORGANISATION_CODE_CHECK_CHARACTER");
        assertThat(quality.get("reasons").get(0).get("zh").asString()).contains("校验码");
        JsonNode tax = JSON.readTree(onTopic(records, Topics.verdicts(Agency.TAX), id).get(0).value());
        assertThat(tax.get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(cardsFor(probe().readFor(Duration.ofSeconds(2)), id)).isEmpty();
    }

    @Test
    void theSameEventPublishedThreeTimesGivesOneVerdictPerAgencyAndOneCardSet() throws Exception {
        UUID applicationId = UUID.randomUUID();
        Map<String, Object> submitted = applicationSubmitted(applicationId);
        JsonNode application = JSON.valueToTree(submitted);
        String eventId = UUID.randomUUID().toString();
        String id = applicationId.toString();

        publishApplication(id, eventId, application);
        publishApplication(id, eventId, application);
        publishApplication(id, eventId, application);
        // The same revision again under a new event id, as a producer retrying without its outbox might.
        publishApplication(id, UUID.randomUUID().toString(), application);

        awaitVerdicts(id, 1);
        assertThat(registerAtTelecom((String) submitted.get("slipNumber"), "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);
        probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        List<KafkaProbe.Record> settled = probe().readFor(Duration.ofSeconds(3));
        for (Agency agency : Agency.values()) {
            assertThat(onTopic(settled, Topics.verdicts(agency), id)).as("verdicts of " + agency).hasSize(1);
        }
        assertThat(cardsFor(settled, id)).hasSize(1);
    }

    @Test
    void aRecordThatIsNotJsonIsDeadLetteredWithItsReasonAndTheNextApplicationStillCompletes() throws Exception {
        String poisonKey = UUID.randomUUID().toString();
        probe().send(Topics.APPLICATIONS, poisonKey, Map.of("ce_id", UUID.randomUUID().toString(),
                "ce_type", "cn.eport.application.submitted.v1", "ce_source", "/somewhere/else", "ce_specversion", "1.0",
                "ce_time", Instant.now().toString(), "ce_subject", poisonKey), "{not json".getBytes(StandardCharsets.UTF_8));
        JsonNode submitted = submit("enterprise-e2e-after-poison", SampleForms.valid());
        String id = submitted.get("applicationId").asString();
        awaitVerdicts(id, 1);
        registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard());

        // Every consumer group of eport.applications dead-letters it once.
        List<String> groups = List.of("quality-check", "commerce-check", "tax-check", "trade-check", "forex-check",
                "customs-check", "card-issuance", "telecom", "dashboard");
        List<KafkaProbe.Record> records = probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1
                && seen.stream().filter(r -> r.topic().startsWith("eport.dlt.") && poisonKey.equals(r.key())).count() >= groups.size(),
                PATIENCE);

        List<KafkaProbe.Record> deadLetters = records.stream().filter(r -> poisonKey.equals(r.key())
                && r.topic().startsWith("eport.dlt.")).toList();
        assertThat(deadLetters).extracting(KafkaProbe.Record::topic)
                .containsExactlyInAnyOrderElementsOf(groups.stream().map(Topics::deadLetters).toList());
        assertThat(deadLetters.get(0).header("x-dlt-reason")).startsWith("body is not valid JSON");
        assertThat(deadLetters.get(0).header("x-dlt-original-topic")).isEqualTo(Topics.APPLICATIONS);
        assertThat(deadLetters.get(0).text()).isEqualTo("{not json");
    }

    /** An ApplicationSubmitted as intake would publish it, for the enterprise of the standards' examples. */
    static Map<String, Object> applicationSubmitted(UUID applicationId) {
        @SuppressWarnings("unchecked")
        Map<String, Object> enterprise = new LinkedHashMap<>((Map<String, Object>) SampleForms.valid().get("enterprise"));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("applicationId", applicationId.toString());
        event.put("revision", 1);
        event.put("slipNumber", AppointmentSlipNumber.of(2099, ThreadLocalRandom.current().nextInt(1, 99_999_999)));
        event.put("submittedAt", Instant.now().toString());
        event.put("channel", "ONLINE");
        event.put("submittedBy", "enterprise-e2e");
        event.put("enterprise", enterprise);
        event.put("legalRepresentative", Map.of("name", "林晓明", "maskedIdNumber", "110***********002X"));
        event.put("operators", List.of(Map.of("name", "陈静", "maskedIdNumber", "350***********0021",
                "customsBrokerCertificate", "BG35010001")));
        return event;
    }

    static void publishApplication(String key, String eventId, JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.ID, eventId);
        headers.put(CloudEventHeaders.TYPE, "cn.eport.application.submitted.v1");
        headers.put(CloudEventHeaders.SOURCE, "/eport/intake");
        headers.put(CloudEventHeaders.SPEC_VERSION, "1.0");
        headers.put(CloudEventHeaders.TIME, Instant.now().toString());
        headers.put(CloudEventHeaders.SUBJECT, key);
        probe().sendAs("intake", Topics.APPLICATIONS, key, headers, JSON.writeValueAsBytes(body));
    }
}
