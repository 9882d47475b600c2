package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.onTopic;
import static cn.eport.sandbox.RunningSystem.probe;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.submit;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.evidence.verifier.BundleVerifier;
import cn.eport.evidence.verifier.Report;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The tax agency rotates its verdict key while applications stream through, the way a deployment does
 * it: every reader already trusts the key history (the old key, and the next one from a moment on),
 * a tax-check instance with the next key joins the running one in its consumer group, and later leaves
 * again. Verdicts signed by either key count: every application gets its cards, nothing is
 * dead-lettered, and a case decided with the next key has an evidence bundle that holds offline.
 */
@ExtendWith(RunningSystem.Extension.class)
class KeyRotationEndToEndTest {

    private static final String APPLICANT = "enterprise-e2e-rotation";

    @Test
    void aRotationInTheMiddleOfAStreamLosesNothingAndRefusesNothingValid() throws Exception {
        PublicKey oldKey = publicKey(DevKeys.publicKeyOf("tax"));
        PublicKey nextKey = publicKey(DevKeys.publicKeyOf("tax-rotated"));
        List<String[]> stream = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stream.add(apply());
        }
        String nextKeyCase;
        try (EportSystem rotated = RunningSystem.moreInstancesOf(
                EportSystem.SERVICES.stream().filter(s -> s.name().equals("tax-check")).toList(),
                Map.of("tax-check.eport.signing.private-key", DevKeys.privateKeyOf("tax-rotated")))) {
            assertThat(rotated.context("tax-check").isActive()).isTrue();
            Instant deadline = Instant.now().plus(PATIENCE);
            Optional<String> signedByNext = Optional.empty();
            // Applications go on arriving while the group rebalances, until the new instance has decided one.
            while (signedByNext.isEmpty()) {
                assertThat(Instant.now()).as("a verdict signed with the next key").isBefore(deadline);
                stream.add(apply());
                Thread.sleep(300);
                signedByNext = stream.stream().map(application -> application[0])
                        .filter(id -> signer(taxVerdict(probe().readFor(Duration.ofMillis(200)), id), oldKey, nextKey).equals("next"))
                        .findFirst();
            }
            nextKeyCase = signedByNext.get();
            for (int i = 0; i < 4; i++) {
                stream.add(apply());
            }
            awaitAllCards(stream);
        }
        for (int i = 0; i < 3; i++) {
            stream.add(apply());
        }
        awaitAllCards(stream);

        List<KafkaProbe.Record> seen = probe().readFor(Duration.ofSeconds(1));
        List<String> signers = new ArrayList<>();
        for (String[] application : stream) {
            signers.add(signer(taxVerdict(seen, application[0]), oldKey, nextKey));
            assertThat(deadLettersNaming(seen, application[0])).as("dead letters of %s", application[0]).isEmpty();
        }
        assertThat(signers).as("every tax verdict signed by a key of the history").doesNotContain("none", "missing")
                .contains("old", "next");

        HttpResponse<String> export = get("intake", "/api/applications/" + nextKeyCase + "/evidence", DevTokens.applicant(APPLICANT));
        assertThat(export.statusCode()).isEqualTo(200);
        Instant deadline = Instant.now().plus(PATIENCE);
        Report report = new BundleVerifier().verify(JSON.readValue(export.body(), EvidenceBundle.class));
        while (!report.holds()) {
            assertThat(Instant.now()).as("the bundle of a case decided with the next key holds: %s", report.render()).isBefore(deadline);
            Thread.sleep(500);
            report = new BundleVerifier().verify(JSON.readValue(
                    get("intake", "/api/applications/" + nextKeyCase + "/evidence", DevTokens.applicant(APPLICANT)).body(), EvidenceBundle.class));
        }
    }

    /** One application, registered at telecom: {id, slip number}. */
    private static String[] apply() throws Exception {
        JsonNode submitted = submit(APPLICANT, SampleForms.valid());
        String[] application = {submitted.get("applicationId").asString(), submitted.get("slipNumber").asString()};
        assertThat(registerAtTelecom(application[1], "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);
        return application;
    }

    private static void awaitAllCards(List<String[]> stream) throws Exception {
        for (String[] application : stream) {
            awaitStatus(DevTokens.applicant(APPLICANT), application[0], "CARDS_ISSUED");
        }
    }

    private static Optional<VerdictIssued> taxVerdict(List<KafkaProbe.Record> records, String id) {
        List<KafkaProbe.Record> verdicts = onTopic(records, Topics.verdicts(Agency.TAX), id);
        return verdicts.isEmpty() ? Optional.empty()
                : Optional.of(JSON.readValue(verdicts.get(verdicts.size() - 1).value(), VerdictIssued.class));
    }

    /** "old", "next", "none" (signed by neither) or "missing" (no verdict yet). */
    private static String signer(Optional<VerdictIssued> verdict, PublicKey oldKey, PublicKey nextKey) {
        if (verdict.isEmpty()) {
            return "missing";
        }
        byte[] content = verdict.get().signedContent().getBytes(StandardCharsets.UTF_8);
        byte[] signature = Base64.getDecoder().decode(verdict.get().signature());
        return verifies(oldKey, content, signature) ? "old" : verifies(nextKey, content, signature) ? "next" : "none";
    }

    private static List<KafkaProbe.Record> deadLettersNaming(List<KafkaProbe.Record> records, String id) {
        return records.stream().filter(r -> r.topic().startsWith("eport.dlt.") && r.text().contains(id)).toList();
    }

    private static boolean verifies(PublicKey key, byte[] content, byte[] signature) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(content);
            return ed25519.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey publicKey(String x509) throws Exception {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(x509)));
    }
}
