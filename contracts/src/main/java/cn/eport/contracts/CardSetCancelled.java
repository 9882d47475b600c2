package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The enterprise's account cancelled (注销) at the counter: every card of the set is cancelled, for good, and
 * the application is final.
 *
 * @param applicationId the application, and the record key
 * @param cardNumbers   every card cancelled by it (those not cancelled or replaced before)
 * @param by            the customs clerk: {@code clerk:<staff id>}
 * @param at            when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardSetCancelled(UUID applicationId, List<String> cardNumbers, String by, Instant at) implements CardEvent {

    public CardSetCancelled {
        cardNumbers = List.copyOf(cardNumbers);
    }
}
