package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.cardsFor;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.onTopic;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.submit;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.TestInfrastructure;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Every look at an application's personal data by someone other than the enterprise is on the
 * record, across services: a tax reviewer opening the case in tax-check and a clerk reading the
 * issued cards in intake both reach intake's log, which the enterprise reads for its own
 * application and OPS query; the enterprise's own reads are not logged, and nobody else sees the log.
 */
@ExtendWith(RunningSystem.Extension.class)
class PersonalDataReadsEndToEndTest {

    @Test
    void theEnterpriseSeesWhoLookedAtItsApplicationAndOpsFindEveryReadOfAReader() throws Exception {
        String applicant = "enterprise-e2e-reads";
        JsonNode submitted = submit(applicant, SampleForms.valid());
        String id = submitted.get("applicationId").asString();
        awaitVerdicts(id, 1);
        String reviewer = "tax-reviewer-e2e-" + System.nanoTime();
        String clerk = "clerk-e2e-" + System.nanoTime();

        assertThat(get("tax-check", "/api/reviews/" + id + "/1", DevTokens.reviewer(reviewer, "tax")).statusCode()).isEqualTo(200);
        assertThat(registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);
        probe().awaitUntil(seen -> cardsFor(seen, id).size() == 1, PATIENCE);
        awaitCardsInIntake(applicant, id);
        assertThat(get("intake", "/api/applications/" + id, DevTokens.clerk(clerk)).statusCode()).isEqualTo(200);
        assertThat(get("intake", "/api/applications/" + id, DevTokens.applicant(applicant)).statusCode()).isEqualTo(200);

        JsonNode reads = awaitReads(applicant, id, 2);
        List<String> readers = new ArrayList<>();
        reads.forEach(read -> readers.add(read.get("reader").asString()));
        assertThat(readers).as("the enterprise's own reads are not logged").containsExactlyInAnyOrder(reviewer, clerk);
        JsonNode byReviewer = find(reads, reviewer);
        assertThat(byReviewer.get("service").asString()).isEqualTo("tax-check");
        assertThat(byReviewer.get("readerAgency").asString()).isEqualTo("tax");
        assertThat(byReviewer.get("readerRoles").get(0).asString()).isEqualTo("REVIEWER");
        assertThat(byReviewer.get("fields").toString()).contains("legalRepresentative.maskedIdNumber", "operators[].name");
        assertThat(byReviewer.get("what").asString()).isEqualTo("GET /api/reviews/{applicationId}/{revision}");
        assertThat(find(reads, clerk).get("fields").toString()).contains("cards.legalPersonCard.holderName");

        HttpResponse<String> ops = get("intake", "/api/personal-data-reads?reader=" + reviewer, DevTokens.ops("ops-e2e"));
        assertThat(ops.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ops.body())).hasSize(1);
        assertThat(get("intake", "/api/personal-data-reads?limit=1001", DevTokens.ops("ops-e2e")).statusCode()).isEqualTo(400);
        assertThat(get("intake", "/api/personal-data-reads", DevTokens.reviewer(reviewer, "tax")).statusCode()).isEqualTo(403);
        assertThat(get("intake", "/api/applications/" + id + "/personal-data-reads", DevTokens.applicant("enterprise-e2e-someone-else"))
                .statusCode()).isEqualTo(404);
        assertThat(get("intake", "/api/applications/" + id + "/personal-data-reads", DevTokens.clerk(clerk)).statusCode())
                .as("a clerk reads applications, not who else read them").isEqualTo(404);

        // The record of the read carries no personal data itself.
        try (KafkaProbe readsTopic = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.reads("tax-check")))) {
            List<KafkaProbe.Record> onTheWire = onTopic(readsTopic.awaitUntil(seen -> !onTopic(seen, Topics.reads("tax-check"), id).isEmpty(),
                    PATIENCE), Topics.reads("tax-check"), id);
            assertThat(onTheWire).hasSize(1);
            assertThat(onTheWire.get(0).text()).contains(reviewer).doesNotContain("11010519491231002X", "林晓明");
        }
    }

    private static void awaitCardsInIntake(String applicant, String id) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!JSON.readTree(get("intake", "/api/applications/" + id, DevTokens.applicant(applicant)).body()).get("status").asString()
                .equals("CARDS_ISSUED")) {
            assertThat(Instant.now()).as("cards in intake's status").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static JsonNode awaitReads(String applicant, String id, int count) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            HttpResponse<String> answer = get("intake", "/api/applications/" + id + "/personal-data-reads", DevTokens.applicant(applicant));
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode reads = JSON.readTree(answer.body());
            if (reads.size() >= count) {
                return reads;
            }
            assertThat(Instant.now()).as("%d reads logged", count).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static JsonNode find(JsonNode reads, String reader) {
        for (JsonNode read : reads) {
            if (read.get("reader").asString().equals(reader)) {
                return read;
            }
        }
        throw new AssertionError("no read by " + reader + " in " + reads);
    }
}
