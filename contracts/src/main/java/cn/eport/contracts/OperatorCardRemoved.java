package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * An operator removed by the legal-person card's holder or a customs clerk: the card is cancelled at once and
 * its number never becomes valid again.
 *
 * @param applicationId the application, and the record key
 * @param cardNumber    the cancelled operator card
 * @param by            who removed it: {@code enterprise:<account>} or {@code clerk:<staff id>}
 * @param at            when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperatorCardRemoved(UUID applicationId, String cardNumber, String by, Instant at) implements CardEvent {
}
