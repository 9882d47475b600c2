package cn.eport.messaging;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.VerdictIssued;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 signatures over {@link VerdictIssued#signedContent()}: an agency service signs with its
 * private key, every reader of verdicts verifies with the configured public keys. A verdict whose
 * agency has no configured key does not verify. Keys are the standard encodings (PKCS#8, X.509), so
 * any Ed25519 implementation can produce or check the signatures; this one is Bouncy Castle's.
 */
public final class VerdictSignatures {

    private final @Nullable Ed25519PrivateKeyParameters signingKey;
    private final Map<Agency, Ed25519PublicKeyParameters> publicKeys;
    private final LongAdder signed = new LongAdder();
    private final LongAdder verified = new LongAdder();

    VerdictSignatures(@Nullable Ed25519PrivateKeyParameters signingKey, Map<Agency, Ed25519PublicKeyParameters> publicKeys) {
        this.signingKey = signingKey;
        this.publicKeys = publicKeys;
    }

    public static VerdictSignatures from(SigningSettings settings) {
        Map<Agency, Ed25519PublicKeyParameters> publicKeys = new EnumMap<>(Agency.class);
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
        VerdictIssued probe = new VerdictIssued(new UUID(0, 0), 1, agency, Outcome.APPROVED, List.of(),
                new Decider(Decider.Kind.RULES, "key-check"), Instant.EPOCH, "");
        if (publicKeys.containsKey(agency) && problemWith(sign(probe)).isPresent()) {
            throw new IllegalStateException("eport.signing.private-key does not belong to the configured public key of agency " + agency);
        }
    }

    /** The verdict with its signature; only a service configured with its agency's private key may sign. */
    public VerdictIssued sign(VerdictIssued verdict) {
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key is not configured: this service cannot sign verdicts");
        }
        byte[] content = verdict.signedContent().getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, signingKey);
        signer.update(content, 0, content.length);
        signed.increment();
        return verdict.withSignature(Base64.getEncoder().encodeToString(signer.generateSignature()));
    }

    /** Why the verdict's signature does not verify against its agency's key; empty when it does. */
    public Optional<String> problemWith(VerdictIssued verdict) {
        Ed25519PublicKeyParameters key = publicKeys.get(verdict.agency());
        if (key == null) {
            return Optional.of("no public key is configured for agency " + verdict.agency());
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(verdict.signature());
        } catch (IllegalArgumentException e) {
            return Optional.of("signature is malformed: " + e.getMessage());
        }
        byte[] content = verdict.signedContent().getBytes(StandardCharsets.UTF_8);
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(content, 0, content.length);
        verified.increment();
        return verifier.verifySignature(signature)
                ? Optional.empty()
                : Optional.of("signature does not verify with the public key of agency " + verdict.agency());
    }

    /** Signatures made by this instance, for the {@code eport.signatures.made} meter. */
    public long signedCount() {
        return signed.sum();
    }

    /** Signatures checked by this instance, for the {@code eport.signatures.verified} meter. */
    public long verifiedCount() {
        return verified.sum();
    }

    private static Ed25519PrivateKeyParameters privateKey(String base64) {
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(Base64.getDecoder().decode(base64));
            if (key instanceof Ed25519PrivateKeyParameters ed25519) {
                return ed25519;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("eport.signing.private-key is not a Base64 PKCS#8 Ed25519 key", e);
        }
        throw new IllegalArgumentException("eport.signing.private-key is not an Ed25519 key");
    }

    private static Ed25519PublicKeyParameters publicKey(String base64) {
        try {
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(Base64.getDecoder().decode(base64));
            if (key instanceof Ed25519PublicKeyParameters ed25519) {
                return ed25519;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("an eport.signing.public-keys entry is not a Base64 X.509 Ed25519 key", e);
        }
        throw new IllegalArgumentException("an eport.signing.public-keys entry is not an Ed25519 key");
    }
}
