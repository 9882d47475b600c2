package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A card's validity ran out: it is invalid until renewed at the counter ({@link CardExtended} with {@code renewed}).
 *
 * @param applicationId the application, and the record key
 * @param cardNumber    the card
 * @param validUntil    the last day it was valid
 * @param at            when card issuance recorded it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardExpired(UUID applicationId, String cardNumber, LocalDate validUntil, Instant at) implements CardEvent {
}
