package cn.eport.messaging;

import cn.eport.contracts.Agency;
import cn.eport.contracts.VerdictIssued;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 signatures over {@link VerdictIssued#signedContent()}: an agency service signs with its
 * private key, every reader of verdicts verifies with the configured public keys. A verdict whose
 * agency has no configured key does not verify.
 */
public final class VerdictSignatures {

    private static final String ALGORITHM = "Ed25519";

    private final @Nullable PrivateKey signingKey;
    private final Map<Agency, PublicKey> publicKeys;

    VerdictSignatures(@Nullable PrivateKey signingKey, Map<Agency, PublicKey> publicKeys) {
        this.signingKey = signingKey;
        this.publicKeys = publicKeys;
    }

    public static VerdictSignatures from(SigningSettings settings) {
        Map<Agency, PublicKey> publicKeys = new EnumMap<>(Agency.class);
        settings.publicKeys().forEach((agency, key) -> {
            if (key != null && !key.isBlank()) {
                publicKeys.put(agency, publicKey(key));
            }
        });
        String privateKey = settings.privateKey();
        return new VerdictSignatures(privateKey == null || privateKey.isBlank() ? null : privateKey(privateKey), publicKeys);
    }

    /**
     * Fails unless this service can sign as {@code agency}: it has a private key and, where the
     * agency's public key is configured, the two belong together. Agency services call this at start-up.
     */
    public void requireSigningKeyOf(Agency agency) {
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key (EPORT_SIGNING_PRIVATE_KEY) is not set: the "
                    + agency.id() + " check signs every verdict it publishes and cannot start without its key");
        }
        VerdictIssued probe = new VerdictIssued(new java.util.UUID(0, 0), 1, agency, cn.eport.contracts.Outcome.APPROVED,
                java.util.List.of(), new cn.eport.contracts.Decider(cn.eport.contracts.Decider.Kind.RULES, "key-check"),
                java.time.Instant.EPOCH, "");
        if (publicKeys.containsKey(agency) && problemWith(sign(probe)).isPresent()) {
            throw new IllegalStateException("eport.signing.private-key does not belong to the configured public key of agency " + agency);
        }
    }

    /** The verdict with its signature; only a service configured with its agency's private key may sign. */
    public VerdictIssued sign(VerdictIssued verdict) {
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key is not configured: this service cannot sign verdicts");
        }
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(signingKey);
            signer.update(verdict.signedContent().getBytes(StandardCharsets.UTF_8));
            return verdict.withSignature(Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign verdict", e);
        }
    }

    /** Why the verdict's signature does not verify against its agency's key; empty when it does. */
    public Optional<String> problemWith(VerdictIssued verdict) {
        PublicKey key = publicKeys.get(verdict.agency());
        if (key == null) {
            return Optional.of("no public key is configured for agency " + verdict.agency());
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(verdict.signedContent().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(verdict.signature()))
                    ? Optional.empty()
                    : Optional.of("signature does not verify with the public key of agency " + verdict.agency());
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.of("signature is malformed: " + e.getMessage());
        }
    }

    /** A fresh key pair, Base64 PKCS#8 private and X.509 public: for tests and for generating configuration. */
    public static String[] newKeyPair() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            Base64.Encoder base64 = Base64.getEncoder();
            return new String[] {base64.encodeToString(pair.getPrivate().getEncoded()),
                    base64.encodeToString(pair.getPublic().getEncoded())};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("eport.signing.private-key is not a Base64 PKCS#8 Ed25519 key", e);
        }
    }

    private static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("an eport.signing.public-keys entry is not a Base64 X.509 Ed25519 key", e);
        }
    }
}
