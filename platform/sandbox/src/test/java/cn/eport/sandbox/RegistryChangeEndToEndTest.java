package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.cardsFor;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.latestVerdict;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.put;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.registries;
import static cn.eport.sandbox.RunningSystem.submit;
import static cn.eport.sandbox.RunningSystem.withdrawals;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.EventType;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A registry's word after approval, across the running system: commerce's registry revokes the business
 * licence; commerce withdraws its approval; card issuance suspends the whole set; the applicant sees who
 * withdrew and why. The licence restored reinstates nothing by itself; the amendment the enterprise then
 * submits is checked again by commerce, approved, and the cards come back under the same numbers.
 */
@ExtendWith(RunningSystem.Extension.class)
class RegistryChangeEndToEndTest {

    /** A clean enterprise no other test applies for, so that revoking its licence withdraws nobody else's approval. */
    private static final SampleEnterprise ENTERPRISE = SampleData.enterprises().stream()
            .filter(e -> e.fate() == SampleEnterprise.Fate.CLEAN).reduce((first, second) -> second).orElseThrow();

    @Test
    void aLicenceRevokedAfterApprovalSuspendsTheCardsUntilAnAmendmentIsApprovedAgain() throws Exception {
        String applicant = "enterprise-e2e-licence-revoked";
        String token = DevTokens.applicant(applicant);
        JsonNode submitted = submit(applicant, SampleForms.of(ENTERPRISE));
        String id = submitted.get("applicationId").asString();
        registerAtTelecom(submitted.get("slipNumber").asString(), ENTERPRISE.organisationCode().replace("-", ""), newNetworkCard());
        List<KafkaProbe.Record> seen = probe().awaitUntil(records -> cardsFor(records, id).size() == 1, PATIENCE);
        List<String> issued = cardNumbers(JSON.readTree(cardsFor(seen, id).get(0).value()));
        awaitStatus(token, id, "CARDS_ISSUED");

        Instant revokedAt = Instant.now();
        registries().changeRecord(Agency.COMMERCE, "business-licences", ENTERPRISE.uscc(), "REVOKED", null);
        JsonNode status;
        try {
            status = awaitStatus(token, id, "CARDS_SUSPENDED");
        } finally {
            registries().changeRecord(Agency.COMMERCE, "business-licences", ENTERPRISE.uscc(), "VALID", null);
        }
        Duration toSuspension = Duration.between(revokedAt, Instant.now());
        assertThat(toSuspension).as("from the registry's change to the applicant's status").isLessThan(Duration.ofSeconds(30));

        seen = probe().readFor(Duration.ofSeconds(1));
        List<KafkaProbe.Record> withdrawals = withdrawals(seen, Agency.COMMERCE, id);
        assertThat(withdrawals).hasSize(1);
        ApprovalWithdrawn withdrawal = JSON.readValue(withdrawals.get(0).value(), ApprovalWithdrawn.class);
        assertThat(withdrawal.revision()).isEqualTo(1);
        assertThat(withdrawal.reasons()).extracting(r -> r.code()).containsExactly("COMMERCE_BUSINESS_LICENCE_REVOKED");
        assertThat(withdrawal.reasons().get(0).zh()).contains("营业执照");
        assertThat(withdrawal.signature()).isNotBlank();

        JsonNode timeline = JSON.readTree(get("intake", "/api/applications/" + id + "/timeline", token).body());
        JsonNode withdrawn = entry(timeline, "APPROVAL_WITHDRAWN");
        assertThat(withdrawn.get("detail").get("agency").asString()).isEqualTo("COMMERCE");
        assertThat(withdrawn.get("detail").get("reasons").toString()).contains("COMMERCE_BUSINESS_LICENCE_REVOKED");
        assertThat(entry(timeline, "CARDS_SUSPENDED").get("detail").get("cards").asInt()).isEqualTo(issued.size());
        JsonNode cardSet = JSON.readTree(get("card-issuance", "/api/card-sets/" + id, token).body());
        assertThat(cardSet.get("state").asString()).isEqualTo("SUSPENDED");
        assertThat(cardSet.get("suspendedBy").asString()).isEqualTo("COMMERCE");
        assertThat(status.get("cards").get("suspendedBy").asString()).as("the status says which agency").isEqualTo("COMMERCE");
        assertThat(status.get("cards").get("suspensionReason").get("code").asString()).as("and why")
                .isEqualTo("COMMERCE_BUSINESS_LICENCE_REVOKED");

        // The licence restored (in the finally above): commerce follows the change, and reinstates nothing by itself.
        Thread.sleep(8_000);
        assertThat(JSON.readTree(get("intake", "/api/applications/" + id, token).body()).get("status").asString())
                .isEqualTo("CARDS_SUSPENDED");

        HttpResponse<String> amended = put("intake", "/api/applications/" + id, token, SampleForms.of(ENTERPRISE));
        assertThat(amended.statusCode()).as(amended.body()).isEqualTo(200);
        List<KafkaProbe.Record> verdicts = awaitVerdicts(id, 2);
        JsonNode commerce = latestVerdict(verdicts, Agency.COMMERCE, id);
        assertThat(commerce.get("revision").asInt()).isEqualTo(2);
        assertThat(commerce.get("outcome").asString()).isEqualTo("APPROVED");
        assertThat(commerce.get("decidedBy").get("id").asString()).as("checked again, not carried forward")
                .doesNotContain("carried forward");
        assertThat(latestVerdict(verdicts, Agency.TAX, id).get("decidedBy").get("id").asString()).contains("carried forward");

        awaitStatus(token, id, "CARDS_ISSUED");
        seen = probe().readFor(Duration.ofSeconds(1));
        List<KafkaProbe.Record> reinstated = cardsFor(seen, id).stream()
                .filter(r -> EventType.CARDS_REINSTATED.ceType().equals(r.header(CloudEventHeaders.TYPE))).toList();
        assertThat(reinstated).hasSize(1);
        assertThat(JSON.readTree(reinstated.get(0).value()).get("cardNumbers").toString())
                .as("the same numbers").contains(issued);
        cardSet = JSON.readTree(get("card-issuance", "/api/card-sets/" + id, token).body());
        assertThat(cardSet.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(cardSet.get("restsOnRevision").asInt()).isEqualTo(2);
    }

    private static List<String> cardNumbers(JsonNode cardsIssued) {
        List<String> numbers = new ArrayList<>();
        numbers.add(cardsIssued.get("legalPersonCard").get("cardNumber").asString());
        cardsIssued.get("operatorCards").forEach(card -> numbers.add(card.get("cardNumber").asString()));
        return numbers;
    }

    private static JsonNode entry(JsonNode timeline, String what) {
        for (JsonNode entry : timeline) {
            if (what.equals(entry.get("what").asString())) {
                return entry;
            }
        }
        throw new AssertionError("no " + what + " in the timeline: " + timeline);
    }
}
