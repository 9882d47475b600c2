package cn.eport.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an agency signs with its Ed25519 key: its verdict on a revision ({@link VerdictIssued}) and its
 * withdrawal of an approval ({@link ApprovalWithdrawn}). A reader counts one only when
 * {@link #signature()} verifies over the UTF-8 of {@link #signedContent()} with a key of
 * {@link #agency()} valid at {@link #decidedAt()}.
 */
public interface SignedVerdict extends ApplicationEvent {

    Agency agency();

    int revision();

    Instant decidedAt();

    String signature();

    /** The exact text that is signed, one field per line; the two kinds differ in their fourth line. */
    String signedContent();

    /**
     * The signed lines: application id, revision, agency, {@code kind} (the outcome, or {@code WITHDRAWN}), the reason
     * codes joined by commas, decider kind and id joined by a colon, and the decision time in ISO-8601 UTC.
     * Messages are not signed, codes are.
     */
    static String signedLines(UUID applicationId, int revision, Agency agency, String kind, List<Reason> reasons, Decider decidedBy,
            Instant decidedAt) {
        return String.join("\n",
                applicationId.toString(),
                Integer.toString(revision),
                agency.name(),
                kind,
                String.join(",", reasons.stream().map(Reason::code).toList()),
                decidedBy.kind().name() + ":" + decidedBy.id(),
                decidedAt.toString());
    }
}
