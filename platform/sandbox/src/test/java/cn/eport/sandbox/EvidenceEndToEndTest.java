package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.HTTP;
import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.awaitVerdicts;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.submit;
import static cn.eport.sandbox.RunningSystem.url;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.evidence.verifier.BundleVerifier;
import cn.eport.evidence.verifier.Finding;
import cn.eport.evidence.verifier.Report;
import cn.eport.messaging.EvidenceGrants;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.TestInfrastructure;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A case's evidence holds up without the system (docs/evidence.md): the enterprise exports its bundle
 * from intake, the offline verifier says it holds, one byte changed in one verdict makes it fail with
 * that very entry named, and a row altered in an agency's database is found by that agency's chain
 * check and makes the next export fail too. Each service's part opens only to ops or to intake's grant.
 */
@ExtendWith(RunningSystem.Extension.class)
class EvidenceEndToEndTest {

    private static final Path BUNDLES = Path.of("target", "evidence-e2e");

    @Test
    void theEnterprisesBundleVerifiesOfflineAndOneChangedByteIsFoundWhereItIs() throws Exception {
        String applicant = "enterprise-e2e-evidence";
        String id = issuedCase(applicant);

        EvidenceBundle bundle = awaitBundleThatHolds(applicant, id);

        assertThat(bundle.format()).isEqualTo(EvidenceBundle.FORMAT);
        assertThat(bundle.services()).extracting(EvidenceBundle.ServiceEvidence::service)
                .containsExactlyInAnyOrderElementsOf(DecisionLog.SERVICES);
        assertThat(bundle.ruleSets()).hasSize(6);
        assertThat(bundle.timeline()).extracting(EvidenceBundle.TimelineEvent::type)
                .contains("cn.eport.application.submitted.v1", "cn.eport.verdict.issued.v1", "cn.eport.telecom.registered.v1",
                        "cn.eport.cards.issued.v1");
        assertThat(bundle.services()).allSatisfy(part -> assertThat(part.segments()).allSatisfy(segment -> {
            assertThat(segment.seal()).isNotNull();
            assertThat(segment.seal().timestampToken()).as("timestamped by the authority").isNotNull();
        }));
        Path file = write("evidence-" + id + ".json", JSON.writeValueAsBytes(bundle));
        assertThat(BundleVerifier.readBundle(Files.readAllBytes(file))).isEqualTo(bundle);

        EvidenceBundle changed = withOneByteChangedInTheVerdictOf(bundle, "tax-check");
        write("evidence-" + id + "-changed.json", JSON.writeValueAsBytes(changed));
        Report report = new BundleVerifier().verify(changed);

        assertThat(report.holds()).isFalse();
        long seq = verdictEntry(bundle, "tax-check").seq();
        assertThat(report.failures()).isNotEmpty().allSatisfy(failure -> assertThat(failure.service()).isEqualTo("tax-check"));
        Finding first = report.failures().get(0);
        assertThat(first.seq()).isEqualTo(seq);
        assertThat(first.message()).contains("cn.eport.verdict.issued.v1 on eport.verdicts.tax").contains("was altered");
    }

    @Test
    void aRowAlteredInAnAgencysDatabaseIsFoundByItsChainCheckAndFailsTheNextBundle() throws Exception {
        String applicant = "enterprise-e2e-evidence-tampered";
        String id = issuedCase(applicant);
        EvidenceBundle before = awaitBundleThatHolds(applicant, id);
        long seq = verdictEntry(before, "forex-check").seq();
        int lane = part(before, "forex-check").lane();

        String tamper = "UPDATE forex_check.decision_log SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'APPROVED', 'REJECTED'), 'UTF8')"
                + " WHERE lane = ? AND seq = ?";
        String restore = "UPDATE forex_check.decision_log SET payload = convert_to(replace(convert_from(payload, 'UTF8'), 'REJECTED', 'APPROVED'), 'UTF8')"
                + " WHERE lane = ? AND seq = ?";
        asSuperuser(tamper, lane, seq);
        try {
            HttpResponse<String> check = get("forex-check", "/api/decision-log/check", DevTokens.ops("ops-e2e-evidence"));
            assertThat(check.statusCode()).isEqualTo(200);
            JsonNode found = JSON.readTree(check.body());
            assertThat(found.get("intact").asBoolean()).isFalse();
            assertThat(found.get("problems").toString()).contains("entry " + seq + " of lane " + lane + " (eport.verdicts.forex) was altered");

            HttpResponse<String> export = get("intake", "/api/applications/" + id + "/evidence", DevTokens.applicant(applicant));
            assertThat(export.statusCode()).isEqualTo(200);
            Report report = new BundleVerifier().verify(JSON.readValue(export.body(), EvidenceBundle.class));
            assertThat(report.holds()).isFalse();
            assertThat(report.failures()).anySatisfy(failure -> {
                assertThat(failure.service()).isEqualTo("forex-check");
                assertThat(failure.seq()).isEqualTo(seq);
            });
        } finally {
            asSuperuser(restore, lane, seq);
        }
        assertThat(JSON.readTree(get("forex-check", "/api/decision-log/check", DevTokens.ops("ops-e2e-evidence")).body())
                .get("intact").asBoolean()).isTrue();
    }

    @Test
    void aServicesPartOpensOnlyToOpsOrToIntakesGrantForThatCase() throws Exception {
        String applicant = "enterprise-e2e-evidence-access";
        String id = submit(applicant, SampleForms.valid()).get("applicationId").asString();
        awaitVerdicts(id, 1);
        String part = "/eport/evidence/" + id;

        assertThat(get("tax-check", part, DevTokens.ops("ops-e2e-evidence")).statusCode()).isEqualTo(200);
        assertThat(plain("tax-check", part, null).statusCode()).isEqualTo(403);
        assertThat(get("tax-check", part, DevTokens.applicant(applicant)).statusCode()).as("intake decides who owns a case").isEqualTo(403);
        assertThat(plain("tax-check", part, id + "." + (Instant.now().getEpochSecond() + 60) + ".AAAA").statusCode()).isEqualTo(403);
        String grant = RunningSystem.system().context("intake").getBean(EvidenceGrants.class).issue(UUID.fromString(id));
        assertThat(plain("tax-check", part, grant).statusCode()).isEqualTo(200);
        assertThat(plain("tax-check", "/eport/evidence/" + UUID.randomUUID(), grant).statusCode()).as("a grant opens its own case only")
                .isEqualTo(403);

        assertThat(get("intake", "/api/applications/" + id + "/evidence", DevTokens.applicant("enterprise-e2e-someone-else")).statusCode())
                .isEqualTo(404);
        assertThat(get("intake", "/api/applications/" + id + "/evidence", DevTokens.reviewer("tax-reviewer-e2e", "tax")).statusCode())
                .isEqualTo(404);
        HttpResponse<String> byOps = get("intake", "/api/applications/" + id + "/evidence", DevTokens.ops("ops-e2e-evidence"));
        assertThat(byOps.statusCode()).isEqualTo(200);
        assertThat(byOps.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"evidence-" + id + ".json\"");
    }

    /** A case through to its cards. */
    private static String issuedCase(String applicant) throws Exception {
        JsonNode submitted = submit(applicant, SampleForms.valid());
        String id = submitted.get("applicationId").asString();
        awaitVerdicts(id, 1);
        assertThat(registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);
        awaitStatus(DevTokens.applicant(applicant), id, "CARDS_ISSUED");
        return id;
    }

    /** The bundle, once every service has sealed the case's entries (seconds here: the interval is 2 s). */
    private static EvidenceBundle awaitBundleThatHolds(String applicant, String id) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            HttpResponse<String> export = get("intake", "/api/applications/" + id + "/evidence", DevTokens.applicant(applicant));
            assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
            EvidenceBundle bundle = JSON.readValue(export.body(), EvidenceBundle.class);
            Report report = new BundleVerifier().verify(bundle);
            boolean complete = bundle.services().size() == DecisionLog.SERVICES.size();
            if (complete && report.holds()) {
                return bundle;
            }
            assertThat(Instant.now()).as("a bundle that holds; the last one: %s", report.render()).isBefore(deadline);
            Thread.sleep(500);
        }
    }

    private static EvidenceBundle.Entry verdictEntry(EvidenceBundle bundle, String service) {
        return part(bundle, service).entries().stream().filter(entry -> entry.topic().startsWith("eport.verdicts.")).findFirst().orElseThrow();
    }

    private static EvidenceBundle.ServiceEvidence part(EvidenceBundle bundle, String service) {
        return bundle.services().stream().filter(part -> part.service().equals(service)).findFirst().orElseThrow();
    }

    /** {@code bundle} with one byte of {@code service}'s verdict changed: the 'A' of APPROVED made a 'B'. */
    private static EvidenceBundle withOneByteChangedInTheVerdictOf(EvidenceBundle bundle, String service) {
        List<EvidenceBundle.ServiceEvidence> parts = new ArrayList<>();
        for (EvidenceBundle.ServiceEvidence part : bundle.services()) {
            if (!part.service().equals(service)) {
                parts.add(part);
                continue;
            }
            EvidenceBundle.Entry verdict = verdictEntry(bundle, service);
            byte[] value = Base64.getDecoder().decode(verdict.value());
            int at = new String(value, StandardCharsets.UTF_8).indexOf("APPROVED");
            assertThat(at).as("the verdict approves").isPositive();
            value[at] = 'B';
            List<EvidenceBundle.Entry> entries = part.entries().stream().map(entry -> entry.seq() != verdict.seq() ? entry
                    : new EvidenceBundle.Entry(entry.seq(), entry.topic(), entry.key(), entry.headers(), Base64.getEncoder().encodeToString(value),
                            entry.entryHash())).toList();
            parts.add(new EvidenceBundle.ServiceEvidence(part.service(), part.signer(), part.lane(), part.keys(), entries, part.segments()));
        }
        return new EvidenceBundle(bundle.format(), bundle.applicationId(), bundle.exportedAt(), bundle.exportedBy(), bundle.timeline(),
                bundle.ruleSets(), parts);
    }

    private static HttpResponse<String> plain(String service, String path, String grant) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(service, path)).GET();
        if (grant != null) {
            request.header(EvidenceGrants.HEADER, grant);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void asSuperuser(String sql, int lane, long seq) throws Exception {
        TestInfrastructure.Endpoints endpoints = TestInfrastructure.endpoints();
        try (Connection connection = DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.username(), endpoints.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, lane);
            statement.setLong(2, seq);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Files.createDirectories(BUNDLES);
        return Files.write(BUNDLES.resolve(name), bytes);
    }
}
