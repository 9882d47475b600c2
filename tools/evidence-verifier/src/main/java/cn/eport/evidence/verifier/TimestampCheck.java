package cn.eport.evidence.verifier;

import cn.eport.contracts.DecisionLog;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

/**
 * An RFC 3161 TimeStampToken over a seal: that it is over SHA-256 of the sealed message, and that it is
 * signed by the certificate it carries (a time-stamping certificate valid at its time). Verification runs
 * with the JDK's providers; Bouncy Castle only reads the structures.
 */
final class TimestampCheck {

    /** What a token says, or, when {@code problem} is set, why it proves nothing. */
    record Result(Instant genTime, String tsa, String policy, String problem) {

        static Result failed(String problem) {
            return new Result(null, null, null, problem);
        }

        boolean ok() {
            return problem == null;
        }
    }

    private TimestampCheck() {
    }

    static Result check(byte[] der, byte[] sealMessage) {
        TimeStampToken token;
        try {
            token = new TimeStampToken(new CMSSignedData(der));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            return Result.failed("its timestamp token is not a readable RFC 3161 TimeStampToken (" + reason(e) + ")");
        }
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())) {
            return Result.failed("its timestamp token is over a " + info.getMessageImprintAlgOID() + " hash, not SHA-256 of the sealed head");
        }
        if (!Arrays.equals(info.getMessageImprintDigest(), DecisionLog.sha256(sealMessage))) {
            return Result.failed("its timestamp token is over another message: not SHA-256 of this seal");
        }
        @SuppressWarnings("unchecked") // SignerId is a raw Selector
        Collection<X509CertificateHolder> certificates = token.getCertificates().getMatches(token.getSID());
        if (certificates.isEmpty()) {
            return Result.failed("its timestamp token carries no certificate of its signer to verify it with");
        }
        X509CertificateHolder certificate = certificates.iterator().next();
        try {
            // The signature, the signer's certificate id, id-kp-timeStamping critical, valid at genTime.
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(certificate));
        } catch (TSPValidationException e) {
            return Result.failed("its timestamp token does not verify with the certificate it carries (" + reason(e) + ")");
        } catch (TSPException | OperatorCreationException | CertificateException | RuntimeException e) {
            return Result.failed("its timestamp token cannot be verified (" + reason(e) + ")");
        }
        return new Result(info.getGenTime().toInstant(), certificate.getSubject().toString(), info.getPolicy().getId(), null);
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
