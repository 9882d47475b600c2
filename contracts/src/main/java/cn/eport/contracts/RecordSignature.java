package cn.eport.contracts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signature that makes a record on {@link Topics#APPLICATIONS} intake's own and one on
 * {@link Topics#TELECOM} telecom's: Ed25519 by the topic's one writer, Base64 in the record header
 * {@value #HEADER}, over {@link #signedMessage} - the record's exact bytes with the topic, the key and
 * the CloudEvents headers that say what it is, so that no part of it can be changed or moved to
 * another topic, application or event id.
 *
 * <p>Verdicts carry their agency's signature in their body instead ({@link VerdictIssued#signature()}),
 * because integrators keep them and check them long after, record or no record.
 */
public final class RecordSignature {

    /** The record header that holds the signature. */
    public static final String HEADER = "x-eport-signature";

    private static final byte[] PREFIX = "eport-record:".getBytes(StandardCharsets.US_ASCII);
    private static final String[] SIGNED_HEADERS = {"ce_id", "ce_type", "ce_source", "ce_subject", "ce_time"};

    private RecordSignature() {
    }

    /** The services that sign their records, by the name of their key. */
    public static final List<String> SIGNERS = List.of("intake", "telecom");

    /** Who signs what is written on {@code topic} (the name of its public key), if that topic is signed so. */
    public static Optional<String> signerOf(String topic) {
        return switch (topic) {
            case Topics.APPLICATIONS -> Optional.of("intake");
            case Topics.TELECOM -> Optional.of("telecom");
            default -> Optional.empty();
        };
    }

    /**
     * What the signature covers: {@code eport-record:}, then the topic, the key and the headers ce_id,
     * ce_type, ce_source, ce_subject and ce_time, each followed by a line feed (a missing header as an
     * empty line), then the value's bytes. None of those may hold a line feed, which the readers'
     * checks of the headers and the key ensure before the signature is checked.
     */
    public static byte[] signedMessage(String topic, String key, Map<String, String> headers, byte[] value) {
        ByteArrayOutputStream message = new ByteArrayOutputStream(PREFIX.length + 256 + value.length);
        message.writeBytes(PREFIX);
        line(message, topic);
        line(message, key);
        for (String header : SIGNED_HEADERS) {
            line(message, headers.getOrDefault(header, ""));
        }
        message.writeBytes(value);
        return message.toByteArray();
    }

    private static void line(ByteArrayOutputStream message, String text) {
        if (text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a signed record's topic, key and headers hold no line feed");
        }
        message.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        message.write('\n');
    }
}
