package cn.eport.messaging;

import cn.eport.contracts.RecordSignature;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.jspecify.annotations.Nullable;

/**
 * Signs and checks the records whose topic has one signing writer ({@link RecordSignature}): intake's
 * applications and telecom's registrations. The writer signs each record in its outbox, over the bytes
 * the relay will send; every reader checks the signature with the writer's configured public key
 * before the record counts, so that a record published by hand, by anyone who can reach the broker,
 * causes nothing but a dead letter.
 */
public final class RecordSignatures {

    private final String service;
    private final @Nullable Ed25519PrivateKeyParameters signingKey;
    private final Map<String, Ed25519PublicKeyParameters> publicKeys;
    private final LongAdder signed = new LongAdder();
    private final LongAdder verified = new LongAdder();

    RecordSignatures(String service, @Nullable Ed25519PrivateKeyParameters signingKey,
            Map<String, Ed25519PublicKeyParameters> publicKeys) {
        this.service = service;
        this.signingKey = signingKey;
        this.publicKeys = Map.copyOf(publicKeys);
    }

    /** For service {@code service}, with its private key and the intake and telecom public keys of {@code settings}. */
    public static RecordSignatures from(String service, SigningSettings settings) {
        Map<String, Ed25519PublicKeyParameters> publicKeys = new LinkedHashMap<>();
        for (String signer : RecordSignature.SIGNERS) {
            String key = settings.publicKeys().get(signer);
            if (key != null && !key.isBlank()) {
                publicKeys.put(signer, Ed25519Keys.publicKey(signer, key));
            }
        }
        String privateKey = settings.privateKey();
        boolean signs = RecordSignature.SIGNERS.contains(service) && privateKey != null && !privateKey.isBlank();
        return new RecordSignatures(service, signs ? Ed25519Keys.privateKey(privateKey) : null, publicKeys);
    }

    /**
     * Fails unless this service, when it is the writer of a signed topic, can sign: it has a private
     * key and, where its public key is configured, the two belong together. Checked at start-up.
     */
    void requireSigningKeyIfSigner() {
        if (!RecordSignature.SIGNERS.contains(service)) {
            return;
        }
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key (EPORT_SIGNING_PRIVATE_KEY) is not set: " + service
                    + " signs every record it publishes and cannot start without its key");
        }
        Ed25519PublicKeyParameters own = publicKeys.get(service);
        byte[] probe = "eport-key-check".getBytes(StandardCharsets.US_ASCII);
        if (own != null && !Ed25519Keys.verifies(own, probe, Ed25519Keys.sign(signingKey, probe))) {
            throw new IllegalStateException("eport.signing.private-key does not belong to the configured public key of " + service);
        }
    }

    /**
     * The signature header's value for a record this service publishes on {@code topic}, or empty when
     * records on that topic are not signed so.
     *
     * @throws IllegalStateException when this service is not the topic's signer: only intake writes
     *                               applications and only telecom writes registrations
     */
    Optional<String> sign(String topic, String key, Map<String, String> headers, byte[] value) {
        Optional<String> signer = RecordSignature.signerOf(topic);
        if (signer.isEmpty()) {
            return Optional.empty();
        }
        if (!signer.get().equals(service) || signingKey == null) {
            throw new IllegalStateException(service + " cannot publish on " + topic + ": only " + signer.get()
                    + " can, with its signing key");
        }
        signed.increment();
        return Optional.of(Base64.getEncoder().encodeToString(
                Ed25519Keys.sign(signingKey, RecordSignature.signedMessage(topic, key, headers, value))));
    }

    /** Why {@code record} does not carry its topic's writer's signature; empty when it does or its topic needs none. */
    Optional<String> problemWith(IncomingRecord record) {
        Optional<String> signer = RecordSignature.signerOf(record.topic());
        if (signer.isEmpty()) {
            return Optional.empty();
        }
        String signature = record.headers().get(RecordSignature.HEADER);
        if (signature == null || signature.isBlank()) {
            return Optional.of("record on " + record.topic() + " is not signed (" + RecordSignature.HEADER
                    + "): only " + signer.get() + " writes there");
        }
        Ed25519PublicKeyParameters key = publicKeys.get(signer.get());
        if (key == null) {
            return Optional.of("no public key is configured for " + signer.get() + " (eport.signing.public-keys."
                    + signer.get() + ")");
        }
        byte[] decoded;
        byte[] message;
        try {
            decoded = Base64.getDecoder().decode(signature);
            message = RecordSignature.signedMessage(record.topic(), record.key() == null ? "" : record.key(), record.headers(),
                    record.value());
        } catch (IllegalArgumentException e) {
            return Optional.of("record signature cannot be checked: " + e.getMessage());
        }
        verified.increment();
        return Ed25519Keys.verifies(key, message, decoded)
                ? Optional.empty()
                : Optional.of("record signature does not verify with the public key of " + signer.get());
    }

    long signedCount() {
        return signed.sum();
    }

    long verifiedCount() {
        return verified.sum();
    }
}
