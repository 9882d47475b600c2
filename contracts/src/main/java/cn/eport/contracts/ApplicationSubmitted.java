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
        List<CardHolder> operators) implements ApplicationRevision {
}
