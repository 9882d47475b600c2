package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A card's validity extended (延期), under the same number: before expiry by the enterprise or a clerk, or,
 * once expired, renewed at the counter by a customs clerk ({@code renewed}).
 *
 * @param applicationId the application, and the record key
 * @param cardNumber    the card, whose number stays
 * @param validUntil    the new last day of validity
 * @param renewed       true when the card had expired and was renewed at the counter
 * @param by            who: {@code enterprise:<account>} or {@code clerk:<staff id>}
 * @param at            when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardExtended(UUID applicationId, String cardNumber, LocalDate validUntil, boolean renewed, String by, Instant at)
        implements CardEvent {
}
