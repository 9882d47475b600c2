package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.VerdictIssued;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.Test;

/**
 * An agency's keys over time: after a rotation, what the old key signed still verifies and what the
 * new key signs does too; a revoked key signs nothing after its revocation, while what it signed
 * before still holds; a key that could not have signed at a verdict's decision time does not count.
 */
class KeyHistoryTest {

    private static final Instant ROTATION = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant REVOCATION = Instant.parse("2026-12-10T00:00:00Z");

    private final String[] oldKey = newKeyPair();
    private final String[] newKey = newKeyPair();
    private final VerdictSignatures oldSigner = VerdictSignatures.from(new SigningSettings(oldKey[0], Map.of()));
    private final VerdictSignatures newSigner = VerdictSignatures.from(new SigningSettings(newKey[0], Map.of()));
    /** The old key until the rotation (and revoked from a moment after it, when it was found stolen); the new one since. */
    private final VerdictSignatures reader = VerdictSignatures.from(new SigningSettings(null, Map.of(), Map.of("tax", List.of(
            new SigningSettings.HistoricKey(oldKey[1], Instant.parse("2026-01-01T00:00:00Z"), ROTATION.plus(Duration.ofDays(1)), REVOCATION),
            new SigningSettings.HistoricKey(newKey[1], ROTATION, null, null)))));

    @Test
    void aRotationInTheMiddleOfAStreamRefusesNothingValidAndLosesNothing() {
        // A stream across the rotation: the old key signs until a day after it (the overlap), the new key from it on.
        List<VerdictIssued> stream = new ArrayList<>();
        for (int hour = -48; hour < 48; hour++) {
            Instant at = ROTATION.plus(Duration.ofHours(hour));
            VerdictSignatures signer = hour < 0 || hour % 2 == 0 && hour < 24 ? oldSigner : newSigner;
            stream.addAll(signer.signAll(List.of(verdict(at), verdict(at), verdict(at))));
        }

        assertThat(stream).hasSize(288).allSatisfy(verdict -> assertThat(reader.problemWith(verdict)).as(verdict.decidedAt().toString())
                .isEmpty());
    }

    @Test
    void aKeyOutsideItsValidityDoesNotCountAndARevokedKeySignsNothingAfterItsRevocation() {
        Instant afterOverlap = ROTATION.plus(Duration.ofDays(2));
        assertThat(reader.problemWith(oldSigner.sign(verdict(afterOverlap))))
                .hasValue("signature does not verify with the public key of agency TAX");
        assertThat(reader.problemWith(newSigner.sign(verdict(ROTATION.minusSeconds(1)))))
                .hasValue("signature does not verify with the public key of agency TAX");
        assertThat(reader.problemWith(newSigner.sign(verdict(Instant.parse("2025-06-01T00:00:00Z")))))
                .hasValue("no key of agency TAX signs verdicts decided at 2025-06-01T00:00:00Z");

        // Revoked from REVOCATION, and valid until a day after the rotation: a thief's verdict dated
        // inside the validity but after the revocation is refused, one from before it still holds.
        VerdictSignatures revokedEarly = VerdictSignatures.from(new SigningSettings(null, Map.of(), Map.of("tax", List.of(
                new SigningSettings.HistoricKey(oldKey[1], Instant.parse("2026-01-01T00:00:00Z"), null, ROTATION)))));
        assertThat(revokedEarly.problemWith(oldSigner.sign(verdict(ROTATION.plusSeconds(1))))).hasValueSatisfying(problem ->
                assertThat(problem).startsWith("signed by key ").contains("of agency TAX, revoked from 2026-12-01T00:00:00Z"));
        assertThat(revokedEarly.problemWith(oldSigner.sign(verdict(ROTATION.minusSeconds(1))))).isEmpty();
        assertThat(revokedEarly.problemWith(oldSigner.signAll(List.of(verdict(ROTATION.plusSeconds(1)), verdict(ROTATION))).get(0)))
                .as("a batch root is no way around the revocation").isPresent();
    }

    @Test
    void theHistoryIsPublishedOldestFirstWithIdsAndASigningServiceWithARevokedKeyDoesNotStart() {
        List<VerdictSignatures.KeyPeriod> history = reader.historyOf(Agency.TAX);
        assertThat(history).extracting(VerdictSignatures.KeyPeriod::encoded).containsExactly(oldKey[1], newKey[1]);
        assertThat(history).extracting(VerdictSignatures.KeyPeriod::id).doesNotHaveDuplicates().allMatch(id -> id.length() == 16);
        assertThat(reader.historyOf(Agency.CUSTOMS)).isEmpty();

        VerdictSignatures revokedNow = VerdictSignatures.from(new SigningSettings(oldKey[0], Map.of(), Map.of("tax", List.of(
                new SigningSettings.HistoricKey(oldKey[1], Instant.parse("2026-01-01T00:00:00Z"), null, Instant.now().minusSeconds(60))))));
        assertThatThrownBy(() -> revokedNow.requireSigningKeyOf(Agency.TAX)).hasMessageContaining("is a revoked key of agency TAX");
    }

    private static VerdictIssued verdict(Instant decidedAt) {
        return new VerdictIssued(UUID.randomUUID(), 1, Agency.TAX, Outcome.APPROVED, List.of(), new Decider(Decider.Kind.RULES, "tax-rules/1"),
                decidedAt, "");
    }

    /** A fresh Ed25519 pair: private PKCS#8, public X.509, Base64. */
    private static String[] newKeyPair() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        try {
            return new String[] {Base64.getEncoder().encodeToString(PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded()),
                Base64.getEncoder().encodeToString(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded())};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
