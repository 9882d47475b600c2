package cn.eport.contracts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The sealed decision log every deciding service keeps (docs/evidence.md): each event it publishes is an
 * entry of a hash chain in its own schema, written in the transaction that publishes it, and the chain's
 * head is signed from time to time by the service's key (a seal), and timestamped where a time-stamping
 * authority is configured. These are the hashes and the signed message, so that the services, the
 * evidence bundle and the offline verifier compute them one way.
 *
 * <ul>
 *   <li>A service's log is {@link #LANES} chains, <b>lanes</b>, each with its own head: an entry goes to the
 *       lane of its record key ({@link #laneOf}), so one case's entries are all in one lane, and
 *       transactions of different lanes append without waiting for each other.
 *   <li>An entry's <b>content hash</b> is SHA-256 of {@link RecordSignature#signedMessage} of the record
 *       it published: topic, key, the CloudEvents headers that say what it is, and the value's bytes.
 *   <li>Its <b>entry hash</b> is SHA-256 of the ASCII {@code eport-decision-log-entry:}, the lane as
 *       one byte, the sequence number in the lane as 8 bytes big-endian, the previous entry's hash and the
 *       content hash. The entry before a lane's first ({@code seq} 0) has the hash {@link #GENESIS}: 32 zero bytes.
 *   <li>A <b>seal</b> is Ed25519 by the service's signer over {@link #sealMessage}; an RFC 3161
 *       timestamp, where there is one, is over SHA-256 of the same message.
 * </ul>
 */
public final class DecisionLog {

    /** The hash before the first entry. */
    public static final byte[] GENESIS = new byte[32];

    /** How many chains a service's log is. */
    public static final int LANES = 8;

    /** The services that keep a sealed decision log. */
    public static final List<String> SERVICES = List.of("intake", "quality-check", "commerce-check", "tax-check",
            "trade-check", "forex-check", "customs-check", "card-issuance", "telecom");

    private static final byte[] ENTRY_PREFIX = "eport-decision-log-entry:".getBytes(StandardCharsets.US_ASCII);

    private DecisionLog() {
    }

    /** The name of the key {@code service} seals with: an agency's id for its check, else the service's name. */
    public static String signerOf(String service) {
        return service.endsWith("-check") ? service.substring(0, service.length() - "-check".length()) : service;
    }

    /** The lane of the record keyed {@code key}: the first byte of SHA-256 of its UTF-8, modulo {@link #LANES}. */
    public static int laneOf(String key) {
        return (sha256(key.getBytes(StandardCharsets.UTF_8))[0] & 0xff) % LANES;
    }

    /** SHA-256 of the record as {@link RecordSignature#signedMessage} frames it. */
    public static byte[] contentHash(String topic, String key, Map<String, String> headers, byte[] value) {
        return sha256(RecordSignature.signedMessage(topic, key, headers, value));
    }

    /** The hash of entry {@code seq} of {@code lane}, which follows the entry whose hash is {@code previous}. */
    public static byte[] entryHash(int lane, long seq, byte[] previous, byte[] contentHash) {
        if (previous.length != 32 || contentHash.length != 32) {
            throw new IllegalArgumentException("decision log hashes are 32 bytes");
        }
        if (lane < 0 || lane >= LANES) {
            throw new IllegalArgumentException("a decision log has lanes 0 to " + (LANES - 1));
        }
        MessageDigest digest = sha256();
        digest.update(ENTRY_PREFIX);
        digest.update((byte) lane);
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
        digest.update(previous);
        digest.update(contentHash);
        return digest.digest();
    }

    /**
     * What a seal of one lane signs: {@code eport-decision-log-seal:}, then the service, the lane, the
     * head's sequence number, the head's entry hash (Base64) and the sealing time (ISO-8601), each
     * followed by a line feed.
     */
    public static byte[] sealMessage(String service, int lane, long seq, byte[] headHash, Instant sealedAt) {
        String message = "eport-decision-log-seal:" + service + "\n" + lane + "\n" + seq + "\n" + Base64.getEncoder().encodeToString(headHash)
                + "\n" + sealedAt + "\n";
        return message.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
