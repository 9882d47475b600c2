package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Customs issued the enterprise's card set (制发IC卡) after all six agencies approved one revision.
 * Written by card issuance to {@link Topics#CARDS}, at most once per application.
 *
 * @param applicationId     the application, and the record key
 * @param revision          the revision all six approved
 * @param slipNumber        the appointment slip to collect the cards against
 * @param legalPersonCard   企业法人卡, held by the legal representative
 * @param operatorCards     企业操作员卡, one per operator
 * @param cardReaders       card readers to hand out
 * @param installationDiscs installation discs to hand out
 * @param issuedAt          when the set was recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardsIssued(
        UUID applicationId,
        int revision,
        String slipNumber,
        IssuedCard legalPersonCard,
        List<IssuedCard> operatorCards,
        int cardReaders,
        int installationDiscs,
        Instant issuedAt) implements ApplicationEvent {
}
