package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.cardsFor;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.latestVerdict;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.onTopic;
import static cn.eport.sandbox.RunningSystem.post;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.put;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.registries;
import static cn.eport.sandbox.RunningSystem.submit;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** The application's whole life: rejection, amendment, withdrawal, paper applications, and cards exactly once. */
@ExtendWith(RunningSystem.Extension.class)
class LifecycleEndToEndTest {

    @Test
    void aRejectedApplicationIsAmendedAndOnlyTheAgencyWhoseInputsChangedChecksAgain() throws Exception {
        String applicant = "enterprise-e2e-amends";
        String token = DevTokens.applicant(applicant);
        Map<String, Object> rejected = withoutBrokerCertificate(SampleForms.valid(), 1);
        JsonNode submitted = submit(applicant, rejected);
        String id = submitted.get("applicationId").asString();

        JsonNode status = awaitStatus(token, id, "REJECTED");
        assertThat(status.get("agencies").toString()).contains("CUSTOMS_OPERATOR_WITHOUT_BROKER_CERTIFICATE");

        HttpResponse<String> amended = put("intake", "/api/applications/" + id, token, SampleForms.valid());
        assertThat(amended.statusCode()).as(amended.body()).isEqualTo(200);
        assertThat(JSON.readTree(amended.body()).get("revision").asInt()).isEqualTo(2);

        List<KafkaProbe.Record> records = awaitVerdicts(id, 2);
        for (Agency agency : Agency.values()) {
            JsonNode verdict = latestVerdict(records, agency, id);
            assertThat(verdict.get("revision").asInt()).isEqualTo(2);
            assertThat(verdict.get("outcome").asString()).isEqualTo("APPROVED");
            assertThat(verdict.get("decidedBy").get("id").asString()).as(agency + " decided by")
                    .satisfies(decider -> assertThat(decider.contains("carried forward from revision 1"))
                            .isEqualTo(agency != Agency.CUSTOMS));
        }
        registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard());
        records = probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        assertThat(JSON.readTree(cardsFor(records, id).get(0).value()).get("revision").asInt()).isEqualTo(2);
        awaitStatus(token, id, "CARDS_ISSUED");

        JsonNode timeline = JSON.readTree(get("intake", "/api/applications/" + id + "/timeline", token).body());
        List<String> happened = new ArrayList<>();
        timeline.forEach(entry -> happened.add(entry.get("what").asString()));
        assertThat(happened).contains("SUBMITTED", "VERDICT", "AMENDED", "TELECOM_REGISTERED", "CARDS_ISSUED");
        assertThat(happened.indexOf("AMENDED")).isGreaterThan(happened.indexOf("SUBMITTED"));
        assertThat(put("intake", "/api/applications/" + id, token, SampleForms.valid()).statusCode())
                .as("an application with cards may be amended, to add an operator (issue 11)").isEqualTo(200);
    }

    @Test
    void withdrawalWithAVerdictInFlightStopsEverythingAndLateVerdictsChangeNothing() throws Exception {
        String applicant = "enterprise-e2e-withdraws";
        String token = DevTokens.applicant(applicant);
        registries().setDown(Agency.TAX, true);
        String id;
        JsonNode submitted;
        try {
            submitted = submit(applicant, SampleForms.valid());
            id = submitted.get("applicationId").asString();
            String inFlight = id;
            probe().awaitUntil(seen -> Arrays.stream(Agency.values()).filter(a -> a != Agency.TAX)
                    .allMatch(a -> onTopic(seen, Topics.verdicts(a), inFlight).size() == 1), PATIENCE);

            HttpResponse<String> withdrawn = post("intake", "/api/applications/" + id + "/withdrawal", token, Map.of());
            assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(200);
            assertThat(JSON.readTree(withdrawn.body()).get("status").asString()).isEqualTo("WITHDRAWN");
        } finally {
            registries().setDown(Agency.TAX, false);
        }
        // Telecom learns of the withdrawal from the topic, so it may or may not still register the slip: either way, no cards.
        registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard());

        // The tax agency's verdict arrives late, properly signed: it changes nothing.
        VerdictSignatures tax = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf("tax"), Map.of()));
        VerdictIssued late = tax.sign(new VerdictIssued(UUID.fromString(id), 1, Agency.TAX, Outcome.APPROVED, List.of(),
                new Decider(Decider.Kind.RULES, "tax-rules/3"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
        Map<String, String> headers = new LinkedHashMap<>(CloudEventHeaders.of(late, UUID.randomUUID().toString(), "/eport/tax-check",
                Instant.now()));
        probe().send(Topics.verdicts(Agency.TAX), id, headers, JSON.writeValueAsBytes(late));

        List<KafkaProbe.Record> settled = probe().readFor(Duration.ofSeconds(4));
        assertThat(onTopic(settled, Topics.verdicts(Agency.TAX), id)).as("the withdrawn check never decided").hasSize(1);
        assertThat(cardsFor(settled, id)).isEmpty();
        assertThat(JSON.readTree(get("intake", "/api/applications/" + id, token).body()).get("status").asString())
                .isEqualTo("WITHDRAWN");
        assertThat(post("intake", "/api/applications/" + id + "/withdrawal", token, Map.of()).statusCode()).isEqualTo(409);
    }

    @Test
    void aClerkKeysInAPaperApplicationForAnEnterpriseAndTheTimelineSaysSo() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>(SampleForms.valid());
        form.put("enterpriseAccount", "enterprise-e2e-paper");
        HttpResponse<String> keyedIn = post("intake", "/api/applications", DevTokens.clerk("clerk-e2e-01"), form);
        assertThat(keyedIn.statusCode()).as(keyedIn.body()).isEqualTo(201);
        String id = JSON.readTree(keyedIn.body()).get("applicationId").asString();

        String owner = DevTokens.applicant("enterprise-e2e-paper");
        JsonNode status = JSON.readTree(get("intake", "/api/applications/" + id, owner).body());
        assertThat(status.get("channel").asString()).isEqualTo("PAPER");
        JsonNode submittedEntry = JSON.readTree(get("intake", "/api/applications/" + id + "/timeline", owner).body()).get(0);
        assertThat(submittedEntry.get("what").asString()).isEqualTo("SUBMITTED");
        assertThat(submittedEntry.get("actor").asString()).isEqualTo("clerk-e2e-01");
        assertThat(submittedEntry.get("detail").get("note").asString()).contains("keyed in by a customs clerk");
        assertThat(get("intake", "/api/applications/" + id, DevTokens.applicant("someone-else")).statusCode()).isEqualTo(404);

        // The account the clerk named, not the clerk, is the enterprise that acts on the card set.
        registerAtTelecom(JSON.readTree(keyedIn.body()).get("slipNumber").asString(), "M000100Y4", newNetworkCard());
        awaitStatus(owner, id, "CARDS_ISSUED");
        assertThat(get("card-issuance", "/api/card-sets/" + id, owner).statusCode()).isEqualTo(200);
        assertThat(get("card-issuance", "/api/card-sets/" + id, DevTokens.applicant("clerk-e2e-01")).statusCode()).isEqualTo(403);
        assertThat(get("card-issuance", "/api/card-sets/" + id, DevTokens.applicant("someone-else")).statusCode()).isEqualTo(403);
    }

    @Test
    void twoCardIssuanceInstancesInOneConsumerGroupStillIssueEachCardSetOnce() throws Exception {
        try (EportSystem second = RunningSystem.moreInstancesOf(EportSystem.SERVICES.stream()
                .filter(s -> s.name().equals("card-issuance")).toList())) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JsonNode submitted = submit("enterprise-e2e-two-instances", SampleForms.valid());
                ids.add(submitted.get("applicationId").asString());
                registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard());
            }
            probe().awaitUntil(seen -> ids.stream().allMatch(id -> cardsFor(seen, id).size() >= 1), PATIENCE);
            List<KafkaProbe.Record> settled = probe().readFor(Duration.ofSeconds(3));
            for (String id : ids) {
                assertThat(cardsFor(settled, id)).as("card sets of " + id).hasSize(1);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutBrokerCertificate(Map<String, Object> form, int operator) {
        Map<String, Object> changed = new LinkedHashMap<>(form);
        List<Map<String, Object>> operators = new ArrayList<>();
        for (Map<String, Object> o : (List<Map<String, Object>>) form.get("operators")) {
            operators.add(new LinkedHashMap<>(o));
        }
        operators.get(operator).remove("customsBrokerCertificate");
        changed.put("operators", operators);
        return changed;
    }
}
