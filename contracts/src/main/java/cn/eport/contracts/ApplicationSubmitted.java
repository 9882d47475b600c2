package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An enterprise applied for E-Port network access. Written by intake to {@link Topics#APPLICATIONS};
 * each of the six agencies checks its part.
 *
 * @param applicationId       the application, and the record key
 * @param revision            1 for the first submission; each amendment adds one
 * @param slipNumber          the appointment slip (预约单) number handed to the enterprise
 * @param submittedAt         when intake accepted it
 * @param channel             online, or keyed in from paper by a customs clerk
 * @param submittedBy         the account that submitted it (the enterprise, or the clerk)
 * @param enterprise          Form 1
 * @param legalRepresentative Form 2: the holder of the legal-person card
 * @param operators           Form 2: one operator card each, at least one
 * @param enterpriseAccount   optional (null): for an application keyed in from paper, the enterprise's own account the clerk named:
 *                            the account that acts on the card set afterwards; absent for an online application,
 *                            whose {@code submittedBy} is that account (added in v1 as optional: v1 readers ignore it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplicationSubmitted(
        UUID applicationId,
        int revision,
        String slipNumber,
        Instant submittedAt,
        Channel channel,
        String submittedBy,
        Enterprise enterprise,
        CardHolder legalRepresentative,
        List<CardHolder> operators,
        String enterpriseAccount) implements ApplicationRevision {

    /** An application without an enterprise account of its own: online (the submitter is the enterprise), or as v1 first had it. */
    public ApplicationSubmitted(UUID applicationId, int revision, String slipNumber, Instant submittedAt, Channel channel,
            String submittedBy, Enterprise enterprise, CardHolder legalRepresentative, List<CardHolder> operators) {
        this(applicationId, revision, slipNumber, submittedAt, channel, submittedBy, enterprise, legalRepresentative, operators, null);
    }

    /** The enterprise account that owns the application and its card set: the submitter online, the named account on paper; null for paper without one. */
    public String owner() {
        return channel == Channel.ONLINE ? submittedBy : enterpriseAccount;
    }
}
