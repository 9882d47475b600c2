package cn.eport.evidence.verifier;

import cn.eport.contracts.EvidenceBundle;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * One Ed25519 public key of a part of the bundle, read with the JDK's own provider, and the time it may sign.
 *
 * @param signer  whose key it is ({@code tax}, {@code intake})
 * @param service the part of the bundle it came from
 */
record SigningKey(String signer, String service, String kid, PublicKey key, EvidenceBundle.Key published) {

    /** The key of {@code published}; fails with a plain reason when it is not a Base64 X.509 Ed25519 key. */
    static SigningKey of(String signer, String service, EvidenceBundle.Key published) throws InvalidKeySpecException {
        byte[] encoded;
        try {
            encoded = Base64.getDecoder().decode(published.x509() == null ? "" : published.x509());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("its x509 is not Base64 (" + e.getMessage() + ")");
        }
        if (encoded.length == 0) {
            throw new InvalidKeySpecException("it has no x509");
        }
        try {
            return new SigningKey(signer, service, published.kid(), KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded)),
                    published);
        } catch (InvalidKeySpecException | RuntimeException e) {
            throw new InvalidKeySpecException("its x509 is not an X.509 Ed25519 public key");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (Java 15 or later has)", e);
        }
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (Java 15 or later has)", e);
        }
    }

    /** {@code validFrom <= at < validUntil} (no end when null); a key without validFrom signs never. */
    boolean validAt(Instant at) {
        return published.validFrom() != null && !at.isBefore(published.validFrom())
                && (published.validUntil() == null || at.isBefore(published.validUntil()));
    }

    /** Revoked from a moment on: it signs nothing from then. */
    boolean revokedAt(Instant at) {
        return published.revokedFrom() != null && !at.isBefore(published.revokedFrom());
    }

    /** May sign at {@code at}: valid then and not revoked. */
    boolean signsAt(Instant at) {
        return validAt(at) && !revokedAt(at);
    }

    /** {@code valid from A until B, revoked from C}, in words. */
    String validity() {
        StringBuilder text = new StringBuilder("valid from ").append(published.validFrom());
        text.append(published.validUntil() == null ? " on" : " until " + published.validUntil());
        if (published.revokedFrom() != null) {
            text.append(", revoked from ").append(published.revokedFrom());
        }
        return text.toString();
    }

    String name() {
        return "key " + kid + " of " + signer;
    }
}
