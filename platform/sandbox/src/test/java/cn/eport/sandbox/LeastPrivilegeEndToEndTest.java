package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.cardsFor;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.onTopic;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.submit;
import static cn.eport.sandbox.RunningSystem.system;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.Agency;
import cn.eport.contracts.EventType;
import cn.eport.contracts.RecordSignature;
import cn.eport.contracts.Topics;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Only the right party causes effects. Records published by hand on intake's and telecom's topics,
 * by someone the broker let in (here its super user, past every ACL), cause nothing but a dead letter
 * and a count, because they lack their writer's signature; and a service's database role cannot read
 * another service's tables.
 */
@ExtendWith(RunningSystem.Extension.class)
class LeastPrivilegeEndToEndTest {

    private static final Pattern DEAD_LETTERED = Pattern.compile(
            "eport_events_dead_lettered_total\\{[^}]*topic=\"([^\"]+)\"[^}]*} ([0-9.]+)");

    @Test
    void aRegistrationPublishedByHandForAnApprovedApplicationGivesNoCards() throws Exception {
        String applicant = "enterprise-e2e-forged-registration";
        JsonNode submitted = submit(applicant, SampleForms.valid());
        String id = submitted.get("applicationId").asString();
        String slip = submitted.get("slipNumber").asString();
        awaitVerdicts(id, 1);
        awaitStatus(DevTokens.applicant(applicant), id, "APPROVED");
        double deadLetteredBefore = deadLettered("card-issuance", Topics.TELECOM);

        Map<String, Object> registration = Map.of("applicationId", id, "slipNumber", slip, "enterpriseCode", "M000100Y4",
                "networkCardNumber", newNetworkCard(), "registeredAt", Instant.now().toString(), "registeredBy", "telecom-clerk-1");
        byte[] value = JSON.writeValueAsBytes(registration);
        Map<String, String> headers = headers(EventType.TELECOM_REGISTERED, "/eport/telecom", id);
        probe().send(Topics.TELECOM, id, headers, value);                                                    // as kcat would
        probe().send(Topics.TELECOM, id, DevKeys.signedRecordHeaders("intake", Topics.TELECOM, id,          // signed, by the wrong key
                headers(EventType.TELECOM_REGISTERED, "/eport/telecom", id), value), value);

        List<KafkaProbe.Record> deadLetters = probe().awaitUntil(seen -> deadLettersOf(seen, "card-issuance", id).size() == 2,
                PATIENCE);
        assertThat(deadLettersOf(deadLetters, "card-issuance", id)).extracting(r -> r.header("x-dlt-reason")).containsExactlyInAnyOrder(
                "record on eport.telecom is not signed (x-eport-signature): only telecom writes there",
                "record signature does not verify with the public key of telecom");
        assertThat(cardsFor(probe().readFor(Duration.ofSeconds(3)), id)).as("no cards from a forged registration").isEmpty();
        assertThat(awaitStatus(DevTokens.applicant(applicant), id, "APPROVED").get("status").asString()).isEqualTo("APPROVED");
        assertThat(deadLettered("card-issuance", Topics.TELECOM)).isGreaterThanOrEqualTo(deadLetteredBefore + 2);

        // The enterprise that really goes to telecom gets its cards, once.
        assertThat(registerAtTelecom(slip, "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);
        assertThat(cardsFor(probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE), id)).hasSize(1);
    }

    @Test
    void aSubmissionPublishedByHandPastIntakeGetsNoVerdicts() throws Exception {
        UUID application = UUID.randomUUID();
        String id = application.toString();
        double deadLetteredBefore = deadLettered("tax-check", Topics.APPLICATIONS);

        probe().send(Topics.APPLICATIONS, id, headers(EventType.APPLICATION_SUBMITTED, "/eport/intake", id),
                JSON.writeValueAsBytes(PipelineEndToEndTest.applicationSubmitted(application)));

        List<String> agencyChecks = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            agencyChecks.add(agency.id() + "-check");
        }
        List<KafkaProbe.Record> seen = probe().awaitUntil(records -> agencyChecks.stream()
                .allMatch(group -> deadLettersOf(records, group, id).size() == 1), PATIENCE);
        for (String group : agencyChecks) {
            assertThat(deadLettersOf(seen, group, id).get(0).header("x-dlt-reason"))
                    .isEqualTo("record on eport.applications is not signed (x-eport-signature): only intake writes there");
        }
        seen = probe().readFor(Duration.ofSeconds(3));
        for (Agency agency : Agency.values()) {
            assertThat(onTopic(seen, Topics.verdicts(agency), id)).as("verdicts of " + agency).isEmpty();
        }
        assertThat(deadLettered("tax-check", Topics.APPLICATIONS)).isGreaterThanOrEqualTo(deadLetteredBefore + 1);
    }

    @Test
    void aServicesDatabaseRoleCannotReadAnotherServicesTables() {
        JdbcClient intake = system().context("intake").getBean(JdbcClient.class);
        assertThat(intake.sql("SELECT current_user").query(String.class).single()).isEqualTo("intake");
        assertThat(intake.sql("SELECT count(*) FROM intake.outbox").query(Long.class).single()).isNotNegative();
        assertThatThrownBy(() -> intake.sql("SELECT count(*) FROM card_issuance.card_sets").query(Long.class).single())
                .hasStackTraceContaining("permission denied for schema card_issuance");
        JdbcClient dashboard = system().context("dashboard").getBean(JdbcClient.class);
        assertThatThrownBy(() -> dashboard.sql("SELECT count(*) FROM intake.applications").query(Long.class).single())
                .hasStackTraceContaining("permission denied for schema intake");
    }

    private static Map<String, String> headers(EventType type, String source, String id) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
        headers.put(CloudEventHeaders.TYPE, type.ceType());
        headers.put(CloudEventHeaders.SOURCE, source);
        headers.put(CloudEventHeaders.SPEC_VERSION, "1.0");
        headers.put(CloudEventHeaders.TIME, Instant.now().toString());
        headers.put(CloudEventHeaders.SUBJECT, id);
        assertThat(headers).doesNotContainKey(RecordSignature.HEADER);
        return headers;
    }

    private static List<KafkaProbe.Record> deadLettersOf(List<KafkaProbe.Record> records, String group, String key) {
        return onTopic(records, Topics.deadLetters(group), key);
    }

    /** What {@code service}'s eport.events.dead.lettered counter says for {@code topic}, from its Prometheus endpoint. */
    private static double deadLettered(String service, String topic) throws Exception {
        String scraped = get(service, "/actuator/prometheus", DevTokens.ops("ops-e2e")).body();
        double total = 0;
        Matcher line = DEAD_LETTERED.matcher(scraped);
        while (line.find()) {
            if (line.group(1).equals(topic)) {
                total += Double.parseDouble(line.group(2));
            }
        }
        return total;
    }
}
