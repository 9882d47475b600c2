package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.VerdictIssued;
import cn.eport.testsupport.DevKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.Test;

class VerdictSignaturesTest {

    private static final String TAX_PRIVATE = DevKeys.privateKeyOf("tax");
    private static final String TAX_PUBLIC = publicKeyOf(TAX_PRIVATE);
    private final VerdictSignatures tax = VerdictSignatures.from(new SigningSettings(TAX_PRIVATE, Map.of()));
    private final VerdictSignatures reader = VerdictSignatures.from(new SigningSettings(null, Map.of("tax", TAX_PUBLIC)));

    private static List<VerdictIssued> unsigned(int n) {
        return IntStream.range(0, n).mapToObj(i -> Events.unsignedVerdict(UUID.randomUUID(), Agency.TAX, Outcome.APPROVED)).toList();
    }

    @Test
    void verdictsSignedTogetherVerifyWithOneEd25519CheckForTheirBatch() {
        List<VerdictIssued> batch = tax.signAll(unsigned(40));

        assertThat(batch).allSatisfy(verdict -> assertThat(reader.problemWith(verdict)).isEmpty());
        assertThat(reader.verifiedCount()).isEqualTo(1);
        assertThat(tax.signedCount()).isEqualTo(41);
        assertThat(batch.get(7).batch()).satisfies(b -> {
            assertThat(b.index()).isEqualTo(7);
            assertThat(b.size()).isEqualTo(40);
            assertThat(b.path()).hasSize(6);
        });
    }

    @Test
    void aVerdictAloneIsSignedOnlyOnItsOwn() {
        List<VerdictIssued> alone = tax.signAll(unsigned(1));

        assertThat(alone.get(0).batch()).isNull();
        assertThat(reader.problemWith(alone.get(0))).isEmpty();
    }

    @Test
    void everyVerdictOfABatchStillVerifiesOnItsOwnForReadersOfTheFirstVersion() {
        List<VerdictIssued> batch = tax.signAll(unsigned(5));

        assertThat(batch).allSatisfy(verdict -> assertThat(reader.problemWith(verdict.withBatch(null))).isEmpty());
    }

    @Test
    void anAlteredVerdictOfAVerifiedBatchFailsThoughItsRootIsRemembered() {
        List<VerdictIssued> batch = tax.signAll(unsigned(8));
        assertThat(reader.problemWith(batch.get(0))).isEmpty();

        VerdictIssued altered = batch.get(3);
        altered = new VerdictIssued(altered.applicationId(), altered.revision(), altered.agency(), Outcome.REJECTED, altered.reasons(),
                altered.decidedBy(), altered.decidedAt(), altered.signature(), altered.batch());

        assertThat(reader.problemWith(altered)).hasValue("signature does not verify with the public key of agency TAX");
    }

    @Test
    void aForgedBatchSignatureDoesNotVerifyAndAForgedVerdictCannotJoinARealBatch() {
        List<VerdictIssued> batch = tax.signAll(unsigned(4));
        VerdictIssued.SignatureBatch real = batch.get(1).batch();
        VerdictIssued.SignatureBatch forgedRoot = new VerdictIssued.SignatureBatch(real.index(), real.size(), real.path(),
                batch.get(0).signature());
        VerdictIssued stranger = Events.unsignedVerdict(UUID.randomUUID(), Agency.TAX, Outcome.APPROVED).withBatch(real);

        assertThat(reader.problemWith(batch.get(1).withBatch(forgedRoot).withSignature(""))).isPresent();
        assertThat(reader.problemWith(stranger)).isPresent();
        assertThat(reader.problemWith(batch.get(1).withBatch(new VerdictIssued.SignatureBatch(0, 4, real.path(), real.rootSignature()))
                .withSignature(""))).isPresent();
    }

    /** What docs/integrators.md tells an integrator to do, with the JDK alone. */
    @Test
    void anIntegratorVerifiesABatchedVerdictWithTheJdkAlone() throws Exception {
        List<VerdictIssued> batch = tax.signAll(unsigned(11));

        for (VerdictIssued verdict : batch) {
            assertThat(verifiesWithTheJdk(verdict, TAX_PUBLIC)).isTrue();
        }
        VerdictIssued altered = batch.get(2).withSignature(batch.get(3).signature());
        altered = new VerdictIssued(altered.applicationId(), 2, altered.agency(), altered.outcome(), altered.reasons(),
                altered.decidedBy(), altered.decidedAt(), altered.signature(), altered.batch());
        assertThat(verifiesWithTheJdk(altered, TAX_PUBLIC)).isFalse();
    }

    static boolean verifiesWithTheJdk(VerdictIssued verdict, String agencyPublicKeyBase64) throws Exception {
        VerdictIssued.SignatureBatch batch = verdict.batch();
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0);
        byte[] r = sha256.digest(verdict.signedContent().getBytes(StandardCharsets.UTF_8));
        long fn = batch.index();
        long sn = batch.size() - 1L;
        for (String encoded : batch.path()) {
            byte[] p = Base64.getDecoder().decode(encoded);
            if (sn == 0) {
                return false;
            }
            sha256.update((byte) 1);
            if ((fn & 1) == 1 || fn == sn) {
                sha256.update(p);
                sha256.update(r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sha256.update(r);
                sha256.update(p);
            }
            r = sha256.digest();
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            return false;
        }
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(agencyPublicKeyBase64)));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(key);
        ed25519.update("eport-verdict-batch:".getBytes(StandardCharsets.US_ASCII));
        ed25519.update(r);
        return ed25519.verify(Base64.getDecoder().decode(batch.rootSignature()));
    }

    private static String publicKeyOf(String privateKeyBase64) {
        try {
            Ed25519PrivateKeyParameters key = (Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(Base64.getDecoder().decode(privateKeyBase64));
            return Base64.getEncoder().encodeToString(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
