package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Cards suspended (挂失 or 停用): one card reported lost ({@code CARD_REPORTED_LOST}), or the whole set because an
 * agency withdrew its approval (the withdrawal's reason, with {@code agency} set).
 *
 * @param applicationId the application, and the record key
 * @param cardNumbers   the cards suspended by this event
 * @param reason        why: {@code CARD_REPORTED_LOST}, or the agency's withdrawal reason
 * @param agency        the agency that withdrew its approval; optional, absent (null) for a loss
 * @param by            who: {@code enterprise:<account>}, {@code clerk:<staff id>}, or {@code agency:<id>}
 * @param at            when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CardsSuspended(UUID applicationId, List<String> cardNumbers, Reason reason, Agency agency, String by,
        Instant at) implements CardEvent {

    /** The reason code of a loss report. */
    public static final String LOSS = "CARD_REPORTED_LOST";

    public CardsSuspended {
        cardNumbers = List.copyOf(cardNumbers);
    }
}
