package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An agency withdraws its approval of a revision (撤销审批): a fact the approval rested on changed in the
 * agency's registry after it approved (a business licence revoked, a customs registration cancelled, a
 * certificate expired). Written only by that agency's service, to {@link Topics#verdicts(Agency)}, after the
 * approval it withdraws, on the same partition. Card issuance suspends the card set on it; the cards come back
 * only when a later revision is approved again by the agency, never when the registry record alone is restored.
 *
 * @param applicationId the application, and the record key
 * @param revision      the approved revision whose approval is withdrawn
 * @param agency        the agency withdrawing
 * @param reasons       what changed, at least one: a stable code ({@code COMMERCE_BUSINESS_LICENCE_REVOKED}) and zh and en messages
 * @param decidedBy     the rule set and version that decided it
 * @param decidedAt     when
 * @param signature     Ed25519 by the agency's key over {@link #signedContent()}, Base64
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApprovalWithdrawn(
        UUID applicationId,
        int revision,
        Agency agency,
        List<Reason> reasons,
        Decider decidedBy,
        Instant decidedAt,
        String signature) implements SignedVerdict {

    /** The fourth line of {@link #signedContent()}: never an {@link Outcome}, so no withdrawal signs what a verdict signs. */
    public static final String SIGNED_KIND = "WITHDRAWN";

    public ApprovalWithdrawn {
        reasons = List.copyOf(reasons);
    }

    /**
     * The exact text that is signed, one field per line: application id, revision, agency, {@code WITHDRAWN},
     * the reason codes joined by commas, decider kind and id joined by a colon, and the decision time in
     * ISO-8601 UTC. The same lines as a {@link VerdictIssued}'s, with {@code WITHDRAWN} where the outcome is.
     */
    @Override
    public String signedContent() {
        return SignedVerdict.signedLines(applicationId, revision, agency, SIGNED_KIND, reasons, decidedBy, decidedAt);
    }

    public ApprovalWithdrawn withSignature(String signature) {
        return new ApprovalWithdrawn(applicationId, revision, agency, reasons, decidedBy, decidedAt, signature);
    }
}
