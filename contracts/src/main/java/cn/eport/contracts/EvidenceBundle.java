package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything that proves one case without the running system: intake exports it
 * ({@code GET /api/applications/{id}/evidence}), the offline verifier checks it (docs/evidence.md).
 * Hashes, signatures, values and timestamp tokens are Base64.
 *
 * @param format      {@value #FORMAT}
 * @param timeline    every published event of the case, by time
 * @param ruleSets    the rule set or reviewer behind each verdict, as its agency signed it
 * @param services    each deciding service's part: its entries of the case, where they sit in its
 *                    chain, the seals that cover them and its keys ({@link ServiceEvidence})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvidenceBundle(String format, UUID applicationId, Instant exportedAt, String exportedBy,
        List<TimelineEvent> timeline, List<RuleSet> ruleSets, List<ServiceEvidence> services) {

    public static final String FORMAT = "eport-evidence-bundle/1";

    /** One published event of the case. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TimelineEvent(String at, String service, String type, long seq, String summary) {
    }

    /** What decided one verdict: {@link Decider}, at the decision time. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RuleSet(String agency, int revision, Decider decidedBy, Instant decidedAt) {
    }

    /**
     * One service's part of the bundle.
     *
     * @param signer   the name of the key its seals (and an agency's verdicts) are signed with
     * @param lane     the lane of the service's log the case's entries are in ({@link DecisionLog#laneOf} of the application id)
     * @param keys     that signer's public keys over time, as the service trusts them
     * @param entries  the case's own entries in this service's log, whole, by seq
     * @param segments where those entries sit in the chain: each segment runs from the entry just after
     *                 {@code start} to the head of its {@code seal}, so that each entry lies in exactly one
     *                 segment; a case that spans a long time has several segments instead of one long chain
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceEvidence(String service, String signer, int lane, List<Key> keys, List<Entry> entries, List<Segment> segments) {
    }

    /**
     * A stretch of one lane of one service's log.
     *
     * @param start the entry just before the first of {@code chain} (seq 0 and {@link DecisionLog#GENESIS}
     *              when the stretch starts the log)
     * @param chain every entry from {@code start.seq + 1} on, contiguous, by content hash only: other cases'
     *              entries show nothing but their hash
     * @param seal  the first seal whose head is at or after the last of the case's entries in this segment;
     *              {@code chain} ends at its head. Absent while those entries are not sealed yet (then
     *              {@code chain} ends at the case's last entry)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Segment(ChainStart start, List<ChainLink> chain, Seal seal) {
    }

    /** A public key (X.509, Base64) and when it may sign, as at {@code GET /eport/keys/{signer}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Key(String kid, String x509, Instant validFrom, Instant validUntil, Instant revokedFrom) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChainStart(long seq, String entryHash) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChainLink(long seq, String contentHash) {
    }

    /** A published record of the case, as it went to Kafka: {@code value} is its bytes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(long seq, String topic, String key, Map<String, String> headers, String value, String entryHash) {
    }

    /**
     * A signed head of the part's lane ({@link DecisionLog#sealMessage}); {@code timestampToken} is the DER of an RFC 3161
     * TimeStampToken over SHA-256 of the sealed message, where a time-stamping authority is configured.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Seal(long seq, String headHash, Instant sealedAt, String keyId, String signature, String timestampToken) {
    }
}
