package cn.eport.evidence.verifier;

import static cn.eport.evidence.verifier.EvidenceFixture.CASE;
import static cn.eport.evidence.verifier.EvidenceFixture.b64;
import static cn.eport.evidence.verifier.EvidenceFixture.withChain;
import static cn.eport.evidence.verifier.EvidenceFixture.withEntries;
import static cn.eport.evidence.verifier.EvidenceFixture.withPart;
import static cn.eport.evidence.verifier.EvidenceFixture.withSegment;
import static cn.eport.evidence.verifier.EvidenceFixture.withValue;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.Decider;
import cn.eport.contracts.EventType;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.testsupport.LocalTimestampAuthority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

    private static final String VERDICT = EventType.VERDICT_ISSUED.ceType();
    private static LocalTimestampAuthority tsa;

    @BeforeAll
    static void startAuthority() {
        tsa = LocalTimestampAuthority.start();
    }

    @AfterAll
    static void stopAuthority() {
        tsa.close();
    }

    /** A fixture that makes a genuine bundle (with {@code build}). */
    private static EvidenceFixture genuine() {
        return new EvidenceFixture();
    }

    private static Report verify(EvidenceBundle bundle) {
        return new BundleVerifier().verify(bundle);
    }

    /** The one FAILS finding of {@code service} at {@code seq} whose message says {@code words}. */
    private static void assertFails(Report report, String service, long seq, String... words) {
        assertThat(report.holds()).as(report.render()).isFalse();
        assertThat(report.failures()).as(report.render()).anySatisfy(finding -> {
            assertThat(finding.service()).isEqualTo(service);
            assertThat(finding.seq()).isEqualTo(seq);
            assertThat(finding.message()).contains(words);
        });
    }

    @Test
    void aGenuineBundleHolds() {
        EvidenceFixture fixture = new EvidenceFixture();
        EvidenceBundle bundle = fixture.build(tsa);

        Report report = verify(bundle);

        assertThat(report.failures()).as(report.render()).isEmpty();
        assertThat(report.holds()).isTrue();
        assertThat(report.verdict()).isEqualTo("The bundle holds.");
        assertThat(report.of(Finding.Status.HOLDS)).extracting(Finding::line).anySatisfy(line -> assertThat(line)
                .startsWith("HOLDS  tax-check: 2 entries, chain 2..3, 4..5 intact, sealed at 3 by key " + fixture.taxCurrent.kid()
                        + " (valid), not timestamped; sealed at 5 by key " + fixture.taxCurrent.kid() + " (valid), timestamped ")
                .contains("by CN=Local Test TSA,O=eport tests"));
        assertThat(report.of(Finding.Status.HOLDS)).extracting(Finding::line)
                .contains("HOLDS  intake: 1 entry, chain 1..2 intact, sealed at 2 by key " + fixture.intake.kid() + " (valid), not timestamped",
                        "HOLDS  card-issuance: 1 entry, chain 3..4 intact, sealed at 4 by key " + fixture.cards.kid() + " (valid), not timestamped")
                .anySatisfy(line -> assertThat(line).startsWith("HOLDS  tax-check entry 2 (" + VERDICT + " on eport.verdicts.tax): verdict of revision 1 "
                        + "(APPROVED by RULES:tax-rules/1, decided at " + fixture.revision1.decidedAt() + ") signed by key " + fixture.taxCurrent.kid()))
                .anySatisfy(line -> assertThat(line).startsWith("HOLDS  intake entry 1 (cn.eport.application.submitted.v1 on eport.applications): "
                        + "record signed by key " + fixture.intake.kid() + " of intake"))
                .anySatisfy(line -> assertThat(line).contains("rule set of agency tax for revision 2"));
        // Without a trust file, it says that the keys are the bundle's own, and lists them.
        assertThat(report.warnings()).extracting(Finding::line)
                .anySatisfy(line -> assertThat(line).contains("no --trust file"))
                .anySatisfy(line -> assertThat(line).startsWith("WARN   tax-check: signer tax has keys " + fixture.taxOld.kid()));
        assertThat(report.render()).contains("Timeline", "cn.eport.cards.issued.v1").endsWith("The bundle holds.\n");
    }

    @Test
    void aGenuineBundleHoldsAgainstThePublishedKeys() {
        EvidenceFixture fixture = new EvidenceFixture();
        EvidenceBundle bundle = fixture.build(tsa);

        Report report = new BundleVerifier(fixture.trust()).verify(bundle);

        assertThat(report.failures()).as(report.render()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        assertThat(report.of(Finding.Status.HOLDS)).extracting(Finding::line)
                .contains("HOLDS  tax-check: the keys of signer tax (" + fixture.taxOld.kid() + ", " + fixture.taxCurrent.kid() + ") are the trusted ones");
    }

    @Test
    void oneByteOfAVerdictChangedFails() {
        EvidenceBundle bundle = genuine().build(tsa);
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withEntries(part, entries -> {
            EvidenceBundle.Entry verdict = entries.get(1); // seq 4, revision 2
            byte[] value = Base64.getDecoder().decode(verdict.value());
            String text = new String(value, StandardCharsets.UTF_8);
            int at = text.indexOf("tax-rules/1") + "tax-rules/".length();
            value[at] = '2'; // one byte: tax-rules/1 -> tax-rules/2
            entries.set(1, withValue(verdict, value));
            return entries;
        }));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 4, "entry 4 (" + VERDICT + " on eport.verdicts.tax) was altered: its content does not hash to its place in the chain");
        assertFails(report, "tax-check", 4, "altered verdict: the signature of the verdict of revision 2 does not verify with any key of agency tax");
        assertThat(report.failures()).anySatisfy(f -> assertThat(f.line()).contains("rule set of agency tax for revision 2", "matches no verdict"));
        assertThat(report.verdict()).isEqualTo("The bundle does NOT hold: " + report.problems() + " problems.");
    }

    @Test
    void anEntryRemovedFromTheChainFails() {
        EvidenceBundle bundle = genuine().build(tsa);
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withEntries(withSegment(part, 0, segment -> withChain(segment, chain -> {
            chain.remove(0); // entry 2 of 2..3
            return chain;
        })), entries -> {
            entries.remove(0);
            return entries;
        }));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 2, "entry 2 is missing: the chain goes from 1 to 3");
        assertFails(report, "tax-check", 3, "seal at 3 does not cover this chain: an entry up to 3 was removed, inserted, reordered or altered");
        assertThat(report.warnings()).extracting(Finding::message)
                .anySatisfy(message -> assertThat(message).contains("names no entry 2 of tax-check in the bundle"));
    }

    @Test
    void anEntryRemovedAndTheRestRenumberedFails() {
        EvidenceBundle bundle = genuine().build(tsa);
        // Entry 2 goes, 3 becomes 2: no gap left, but the seal at 3 no longer matches anything.
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withEntries(withSegment(part, 0, segment -> withChain(segment, chain -> {
            EvidenceBundle.ChainLink third = chain.get(1);
            return new ArrayList<>(List.of(new EvidenceBundle.ChainLink(2, third.contentHash())));
        })), entries -> {
            entries.remove(0);
            return entries;
        }));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 3, "seal at 3 lies outside the chain of its segment (2..2)");
    }

    @Test
    void anEntryInsertedFails() {
        EvidenceFixture fixture = genuine();
        EvidenceBundle bundle = fixture.build(tsa);
        // A forged verdict, even one signed with the agency's real key, put in at 5; the old 5 becomes 6.
        VerdictIssued unsigned = new VerdictIssued(CASE, 2, Agency.TAX, Outcome.REJECTED, List.of(), new Decider(Decider.Kind.RULES, "tax-rules/1"),
                fixture.revision2.decidedAt().plusSeconds(60), null);
        VerdictIssued forged = unsigned.withSignature(fixture.taxCurrent.sign(unsigned.signedContent().getBytes(StandardCharsets.UTF_8)));
        byte[] value = EvidenceFixture.json(forged);
        Map<String, String> headers = EvidenceFixture.headers("tax-check", VERDICT, CASE, forged.decidedAt());
        byte[] content = DecisionLog.contentHash(Topics.verdicts(Agency.TAX), CASE.toString(), headers, value);
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> {
            EvidenceBundle.ServiceEvidence changed = withSegment(part, 1, segment -> withChain(segment, chain -> {
                EvidenceBundle.ChainLink fifth = chain.get(1);
                return new ArrayList<>(List.of(chain.get(0), new EvidenceBundle.ChainLink(5, b64(content)),
                        new EvidenceBundle.ChainLink(6, fifth.contentHash())));
            }));
            byte[] fourth = Base64.getDecoder().decode(part.entries().get(1).entryHash());
            byte[] entryHash = DecisionLog.entryHash(part.lane(), 5, fourth, content);
            return withEntries(changed, entries -> {
                entries.add(new EvidenceBundle.Entry(5, Topics.verdicts(Agency.TAX), CASE.toString(), headers, b64(value), b64(entryHash)));
                return entries;
            });
        });

        Report report = verify(tampered);

        assertFails(report, "tax-check", 5, "seal at 5 does not cover this chain: an entry up to 5 was removed, inserted, reordered or altered");
    }

    @Test
    void anEntryAppendedAfterTheSealIsNotSealed() {
        EvidenceFixture fixture = new EvidenceFixture();
        fixture.unsealedEntry = true;
        EvidenceBundle bundle = fixture.build(tsa);

        Report report = verify(bundle);

        assertFails(report, "card-issuance", 5, "entry 5 (cn.eport.personal-data.read.v1 on eport.reads.card-issuance) is not yet sealed: "
                + "no seal at 5 or later covers it (its segment has no seal)");
        assertThat(report.problems()).as(report.render()).isEqualTo(1);
    }

    @Test
    void twoEntriesSwappedFail() {
        EvidenceBundle bundle = genuine().build(tsa);
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withSegment(part, 0, segment -> withChain(segment, chain -> {
            Collections.swap(chain, 0, 1); // 3, 2
            return chain;
        })));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 2, "entries out of order at 2: entry 2 comes after entry 3");
        assertFails(report, "tax-check", 3, "seal at 3 does not cover this chain");
    }

    @Test
    void twoEntriesSwappedAndRenumberedFail() {
        EvidenceBundle bundle = genuine().build(tsa);
        // Keep the numbers 2, 3 but swap what they are.
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withSegment(part, 0, segment -> withChain(segment, chain -> {
            EvidenceBundle.ChainLink second = chain.get(0);
            EvidenceBundle.ChainLink third = chain.get(1);
            return new ArrayList<>(List.of(new EvidenceBundle.ChainLink(2, third.contentHash()), new EvidenceBundle.ChainLink(3, second.contentHash())));
        })));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 2, "entry 2 (" + VERDICT + " on eport.verdicts.tax) was altered: its content does not hash to its place in the chain");
        assertFails(report, "tax-check", 3, "seal at 3 does not cover this chain");
    }

    @Test
    void aSealSignedByTheWrongKeyFails() {
        EvidenceFixture fixture = genuine();
        EvidenceBundle bundle = fixture.build(tsa);
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withSegment(part, 1, segment -> {
            EvidenceBundle.Seal seal = segment.seal();
            byte[] message = DecisionLog.sealMessage("tax-check", part.lane(), seal.seq(), Base64.getDecoder().decode(seal.headHash()), seal.sealedAt());
            EvidenceBundle.Seal resigned = new EvidenceBundle.Seal(seal.seq(), seal.headHash(), seal.sealedAt(), seal.keyId(),
                    fixture.intake.sign(message), seal.timestampToken());
            return new EvidenceBundle.Segment(segment.start(), segment.chain(), resigned);
        }));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 5, "seal at 5 is signed by the wrong key: its signature does not verify with key " + fixture.taxCurrent.kid()
                + " of tax (it verifies with key " + fixture.intake.kid() + " of intake)");
        assertThat(report.problems()).as(report.render()).isEqualTo(1);
    }

    @Test
    void aVerdictSignedByAKeyPastItsValidityFails() {
        EvidenceFixture fixture = new EvidenceFixture();
        fixture.revision2ByExpiredKey = true;
        EvidenceBundle bundle = fixture.build(tsa);

        Report report = verify(bundle);

        assertFails(report, "tax-check", 4, "entry 4 (" + VERDICT + " on eport.verdicts.tax): verdict of revision 2 signed by a key not valid at its decision time",
                "key " + fixture.taxOld.kid(), "until " + fixture.taxOld.published().validUntil());
        assertThat(report.problems()).as(report.render()).isEqualTo(1);
    }

    @Test
    void aVerdictSignedByARevokedKeyFailsWhileOneDecidedBeforeTheRevocationHolds() {
        EvidenceFixture fixture = new EvidenceFixture();
        fixture.revokeBetweenVerdicts = true;
        EvidenceBundle bundle = fixture.build(tsa);

        Report report = verify(bundle);

        assertFails(report, "tax-check", 4, "verdict of revision 2 signed by a key not valid at its decision time",
                "revoked from " + fixture.taxCurrent.published().revokedFrom());
        assertThat(report.problems()).as(report.render()).isEqualTo(1);
        assertThat(report.of(Finding.Status.HOLDS)).anySatisfy(f -> {
            assertThat(f.service()).isEqualTo("tax-check");
            assertThat(f.seq()).isEqualTo(2L);
            assertThat(f.message()).contains("verdict of revision 1", "signed by key " + fixture.taxCurrent.kid() + " of tax, valid then");
        });
    }

    @Test
    void aHeadSealedAfterItsTimestampFails() {
        EvidenceFixture fixture = new EvidenceFixture();
        fixture.tsaOffset = Duration.ofMinutes(-2); // the authority says the seal existed two minutes before it was made
        EvidenceBundle bundle = fixture.build(tsa);

        Report report = verify(bundle);

        assertFails(report, "tax-check", 5, "seal at 5: head sealed after its timestamp", "CN=Local Test TSA", "tolerance 5 s");
        assertThat(report.problems()).as(report.render()).isEqualTo(1);
    }

    @Test
    void aTimestampOfAnotherSealFails() {
        EvidenceBundle bundle = genuine().build(tsa);
        String otherToken = b64(EvidenceFixture.timestamp(tsa, DecisionLog.sha256("another message".getBytes(StandardCharsets.UTF_8))));
        EvidenceBundle tampered = withPart(bundle, "tax-check", part -> withSegment(part, 1, segment -> {
            EvidenceBundle.Seal seal = segment.seal();
            return new EvidenceBundle.Segment(segment.start(), segment.chain(), new EvidenceBundle.Seal(seal.seq(), seal.headHash(), seal.sealedAt(),
                    seal.keyId(), seal.signature(), otherToken));
        }));

        Report report = verify(tampered);

        assertFails(report, "tax-check", 5, "seal at 5: its timestamp token is over another message: not SHA-256 of this seal");
    }

    @Test
    void anAlteredIntakeRecordFailsItsSignature() {
        EvidenceBundle bundle = genuine().build(tsa);
        EvidenceBundle tampered = withPart(bundle, "intake", part -> withEntries(part, entries -> {
            EvidenceBundle.Entry submitted = entries.get(0);
            String text = new String(Base64.getDecoder().decode(submitted.value()), StandardCharsets.UTF_8).replace("林晓明", "王小明");
            entries.set(0, withValue(submitted, text.getBytes(StandardCharsets.UTF_8)));
            return entries;
        }));

        Report report = verify(tampered);

        assertFails(report, "intake", 1, "entry 1 (cn.eport.application.submitted.v1 on eport.applications) was altered");
        assertFails(report, "intake", 1, "altered record: its x-eport-signature does not verify with any key of intake");
    }

    @Test
    void anEntryOfAnotherCaseFails() {
        EvidenceBundle bundle = genuine().build(tsa);
        EvidenceBundle tampered = new EvidenceBundle(bundle.format(), EvidenceFixture.OTHER, bundle.exportedAt(), bundle.exportedBy(),
                bundle.timeline(), List.of(), List.of(bundle.services().get(2)));

        Report report = verify(tampered);

        assertFails(report, "card-issuance", 3, "is keyed to \"" + CASE + "\", not to application " + EvidenceFixture.OTHER);
        assertFails(report, "card-issuance", 3, "is about \"" + CASE + "\" (ce_subject)");
    }

    @Test
    void malformedBase64IsAFindingNotAnException() {
        EvidenceBundle bundle = genuine().build(tsa);
        EvidenceBundle tampered = withPart(bundle, "card-issuance", part -> withEntries(part, entries -> {
            EvidenceBundle.Entry entry = entries.get(0);
            entries.set(0, new EvidenceBundle.Entry(entry.seq(), entry.topic(), entry.key(), entry.headers(), "not base64!", "%%%"));
            return entries;
        }));

        Report report = verify(tampered);

        assertFails(report, "card-issuance", 3, "entry 3 (cn.eport.cards.issued.v1 on eport.cards): its value is not Base64");
    }

    @Test
    void aTrustFileThatLacksAKeyFails() {
        EvidenceFixture fixture = genuine();
        EvidenceBundle bundle = fixture.build(tsa);
        List<KeyDocument> trust = new ArrayList<>(fixture.trust());
        KeyDocument tax = trust.get(0);
        trust.set(0, new KeyDocument("tax", tax.keys().subList(1, tax.keys().size()))); // without the old key

        Report report = new BundleVerifier(trust).verify(bundle);

        assertThat(report.failures()).as(report.render()).singleElement().satisfies(f -> {
            assertThat(f.service()).isEqualTo("tax-check");
            assertThat(f.seq()).isNull();
            assertThat(f.message()).isEqualTo("key " + fixture.taxOld.kid() + " of signer tax is not in the trusted keys of tax");
        });
    }

    @Test
    void aTrustFileThatRevokesAKeyTheBundleDoesNotFails() {
        EvidenceFixture fixture = genuine();
        EvidenceBundle bundle = fixture.build(tsa);
        List<KeyDocument> trust = new ArrayList<>(fixture.trust());
        KeyDocument.PublishedKey intake = trust.get(1).keys().get(0);
        trust.set(1, new KeyDocument("intake", List.of(new KeyDocument.PublishedKey(intake.kid(), intake.kty(), intake.crv(), intake.use(), intake.x(),
                intake.x509(), intake.validFrom(), intake.validUntil(), fixture.base))));
        trust.remove(2); // and no document for card issuance

        Report report = new BundleVerifier(trust).verify(bundle);

        assertThat(report.failures()).extracting(Finding::line).as(report.render()).containsExactlyInAnyOrder(
                "FAILS  intake: key " + intake.kid() + " of signer intake is valid from " + intake.validFrom() + " on in the bundle, but valid from "
                        + intake.validFrom() + " on, revoked from " + fixture.base + " in the trusted keys",
                "FAILS  card-issuance: the trust file has no key document of signer card-issuance: none of its keys is trusted");
    }

    @Test
    void readsItsOwnJsonBackAndRefusesWhatIsNotABundle() throws Exception {
        EvidenceBundle bundle = genuine().build(tsa);
        byte[] json = EvidenceFixture.json(bundle);

        assertThat(verify(BundleVerifier.readBundle(json)).holds()).isTrue();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BundleVerifier.readBundle("{\"format\": ".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableInputException.class).hasMessageStartingWith("not a readable evidence bundle: ").hasMessageContaining("line 1");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BundleVerifier.readBundle(
                "{\"exportedAt\": \"yesterday\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("(at exportedAt)");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BundleVerifier.readBundle(
                "{\"format\": \"a\", \"format\": \"b\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableInputException.class).hasMessageContaining("Duplicate Object property \"format\"");
    }
}
