package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.cardsFor;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.onTopic;
import static cn.eport.sandbox.RunningSystem.post;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.registries;
import static cn.eport.sandbox.RunningSystem.submit;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The agencies as their registries and reviewers make them: referrals, forged verdicts, outages, metrics. */
@ExtendWith(RunningSystem.Extension.class)
class AgencyChecksEndToEndTest {

    @Test
    void aForgedApprovalNeverLeadsToCardsButTheTradeReviewersApprovalDoes() throws Exception {
        SampleEnterprise unknown = SampleForms.withFate(SampleEnterprise.Fate.TRADE_CERTIFICATE_UNKNOWN);
        String applicant = "enterprise-e2e-forged";
        JsonNode submitted = submit(applicant, SampleForms.of(unknown));
        String id = submitted.get("applicationId").asString();
        registerAtTelecom(submitted.get("slipNumber").asString(), unknown.organisationCode().replace("-", ""), newNetworkCard());
        List<KafkaProbe.Record> records = awaitVerdicts(id, 1);
        JsonNode referral = JSON.readTree(onTopic(records, Topics.verdicts(Agency.TRADE), id).get(0).value());
        assertThat(referral.get("outcome").asString()).isEqualTo("REFERRED");
        assertThat(referral.get("reasons").get(0).get("code").asString()).isEqualTo("TRADE_QUALIFICATION_CERTIFICATE_STATUS_UNKNOWN");

        // Someone with write access to the topic, but not the trade agency's key, approves it by hand.
        ObjectNode forged = (ObjectNode) referral.deepCopy();
        forged.put("outcome", "APPROVED");
        forged.set("reasons", JSON.createArrayNode());
        probe().send(Topics.verdicts(Agency.TRADE), id, Map.of("ce_id", UUID.randomUUID().toString(),
                "ce_type", "cn.eport.verdict.issued.v1", "ce_source", "/eport/trade-check", "ce_specversion", "1.0",
                "ce_time", Instant.now().toString(), "ce_subject", id), JSON.writeValueAsBytes(forged));

        records = probe().awaitUntil(seen -> seen.stream().anyMatch(r -> r.topic().equals("eport.dlt.card-issuance")
                && id.equals(r.key())), PATIENCE);
        KafkaProbe.Record deadLetter = records.stream().filter(r -> r.topic().equals("eport.dlt.card-issuance") && id.equals(r.key()))
                .findFirst().orElseThrow();
        assertThat(deadLetter.header("x-dlt-reason")).isEqualTo("signature does not verify with the public key of agency TRADE");
        assertThat(cardsFor(probe().readFor(Duration.ofSeconds(2)), id)).isEmpty();

        HttpResponse<String> decided = post("trade-check", "/api/reviews/" + id + "/1/decision",
                DevTokens.reviewer("trade-reviewer-01", "trade"), Map.of("outcome", "APPROVED"));
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);

        probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        assertThat(awaitStatus(DevTokens.applicant(applicant), id, "CARDS_ISSUED").get("agencies").toString())
                .contains("REVIEWER:trade-reviewer-01");
    }

    @Test
    void aRegistryOutageDelaysOneAgencysCheckUntilItsRegistryIsBack() throws Exception {
        registries().setDown(Agency.TAX, true);
        String id;
        try {
            JsonNode submitted = submit("enterprise-e2e-outage", SampleForms.valid());
            id = submitted.get("applicationId").asString();
            registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard());
            String pending = id;
            probe().awaitUntil(seen -> Arrays.stream(Agency.values()).filter(a -> a != Agency.TAX)
                    .allMatch(a -> onTopic(seen, Topics.verdicts(a), pending).size() == 1), PATIENCE);
            assertThat(onTopic(probe().readFor(Duration.ofSeconds(3)), Topics.verdicts(Agency.TAX), id)).isEmpty();
        } finally {
            registries().setDown(Agency.TAX, false);
        }
        String recovered = id;
        List<KafkaProbe.Record> records = probe().awaitUntil(seen -> cardsFor(seen, recovered).size() == 1, PATIENCE);
        assertThat(onTopic(records, Topics.verdicts(Agency.TAX), id)).hasSize(1);
    }

    @Test
    void operatorsReadEachAgencysMetricsWithTheOpsRoleAndNobodyElseDoes() throws Exception {
        HttpResponse<String> scraped = get("tax-check", "/actuator/prometheus", DevTokens.ops("ops-e2e"));
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("eport_checks_started_total{agency=\"tax\"", "eport_checks_parked{agency=\"tax\"",
                "eport_reviews_queue{agency=\"tax\"", "eport_checks_pending{agency=\"tax\"",
                "resilience4j_circuitbreaker_state{name=\"tax-registry\"");

        assertThat(get("tax-check", "/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("tax-check", "/actuator/prometheus", DevTokens.applicant("enterprise-e2e")).statusCode()).isEqualTo(403);
        assertThat(get("tax-check", "/actuator/health/readiness", null).body()).contains("UP");
    }
}
