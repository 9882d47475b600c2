package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerdictIssued(
        UUID applicationId,
        int revision,
        Agency agency,
        Outcome outcome,
        List<Reason> reasons,
        Decider decidedBy,
        Instant decidedAt,
        String signature) implements ApplicationEvent {

    /**
     * The exact text that is signed: every field but the signature, one per line, in this order:
     * application id, revision, agency, outcome, the reason codes joined by commas, decider kind and
     * id joined by a colon, and the decision time in ISO-8601 UTC. Messages are not signed, codes are.
     */
    public String signedContent() {
        return String.join("\n",
                applicationId.toString(),
                Integer.toString(revision),
                agency.name(),
                outcome.name(),
                String.join(",", reasons.stream().map(Reason::code).toList()),
                decidedBy.kind().name() + ":" + decidedBy.id(),
                decidedAt.toString());
    }

    public VerdictIssued withSignature(String signature) {
        return new VerdictIssued(applicationId, revision, agency, outcome, reasons, decidedBy, decidedAt, signature);
    }
}
