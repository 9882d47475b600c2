package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agency's verdict on one revision of an application. Written only by that agency's service, to
 * {@link Topics#verdicts(Agency)}. A final verdict for a revision never changes; card issuance
 * counts it only when {@code signature} verifies with the agency's public key.
 *
 * @param applicationId the application, and the record key
 * @param revision      the revision that was checked
 * @param agency        the agency deciding
 * @param outcome       approved, rejected, or referred to a reviewer
 * @param reasons       why, for REJECTED and REFERRED; empty for APPROVED
 * @param decidedBy     the rule set version or the reviewer
 * @param decidedAt     when
 * @param signature     Ed25519 signature by the agency's key over {@link #signedContent()}, Base64
 * @param batch         optional: where this verdict sits among those its agency signed together, so that
 *                      a reader can verify one signature per batch instead of one per verdict
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerdictIssued(
        UUID applicationId,
        int revision,
        Agency agency,
        Outcome outcome,
        List<Reason> reasons,
        Decider decidedBy,
        Instant decidedAt,
        String signature,
        SignatureBatch batch) implements SignedVerdict {

    /** A verdict signed on its own, as readers of the first version expect: no batch. */
    public VerdictIssued(UUID applicationId, int revision, Agency agency, Outcome outcome, List<Reason> reasons, Decider decidedBy,
            Instant decidedAt, String signature) {
        this(applicationId, revision, agency, outcome, reasons, decidedBy, decidedAt, signature, null);
    }

    /**
     * The verdicts an agency decided together are the leaves of one Merkle tree (RFC 9162 section 2.1:
     * a leaf is SHA-256 of a zero byte and the UTF-8 of {@link #signedContent()}; a node is SHA-256 of
     * a one byte and its two children), and the agency signs the tree's root once. With this, a reader
     * recomputes the root from the verdict and its inclusion path (RFC 9162 section 2.1.3.2) and checks
     * {@code rootSignature} once per batch, however many verdicts of that batch it reads.
     *
     * @param index         this verdict's leaf, from 0
     * @param size          the number of verdicts signed together
     * @param path          the inclusion path, Base64 SHA-256 hashes from the leaf's sibling up
     * @param rootSignature Ed25519 by the agency's key over the ASCII bytes {@code eport-verdict-batch:} followed by the 32-byte root, Base64
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SignatureBatch(int index, int size, List<String> path, String rootSignature) {
    }

    /**
     * The exact text that is signed: every field but the signature, one per line, in this order:
     * application id, revision, agency, outcome, the reason codes joined by commas, decider kind and
     * id joined by a colon, and the decision time in ISO-8601 UTC. Messages are not signed, codes are.
     */
    @Override
    public String signedContent() {
        return SignedVerdict.signedLines(applicationId, revision, agency, outcome.name(), reasons, decidedBy, decidedAt);
    }

    public VerdictIssued withSignature(String signature) {
        return new VerdictIssued(applicationId, revision, agency, outcome, reasons, decidedBy, decidedAt, signature, batch);
    }

    public VerdictIssued withBatch(SignatureBatch batch) {
        return new VerdictIssued(applicationId, revision, agency, outcome, reasons, decidedBy, decidedAt, signature, batch);
    }
}
