package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The applicant amended a rejected application: a new revision, the whole form again. Written by
 * intake to {@link Topics#APPLICATIONS}. An agency whose inputs did not change and that approved the
 * previous revision carries its approval forward; every other agency checks again.
 *
 * @param applicationId       the application, and the record key
 * @param revision            the new revision: the previous one plus one
 * @param slipNumber          the appointment slip, unchanged
 * @param amendedAt           when intake accepted the amendment
 * @param channel             online, or keyed in from paper by a customs clerk
 * @param amendedBy           the account that amended it
 * @param enterprise          Form 1 as amended
 * @param legalRepresentative Form 2: the holder of the legal-person card
 * @param operators           Form 2: one operator card each, at least one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplicationAmended(
        UUID applicationId,
        int revision,
        String slipNumber,
        Instant amendedAt,
        Channel channel,
        String amendedBy,
        Enterprise enterprise,
        CardHolder legalRepresentative,
        List<CardHolder> operators) implements ApplicationRevision {
}
