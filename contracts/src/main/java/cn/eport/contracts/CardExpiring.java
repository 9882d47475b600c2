package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The reminder: a valid card reaches the last 30 days of its validity. Once per card and validity period.
 *
 * @param applicationId the application, and the record key
 * @param cardNumber    the card
 * @param validUntil    its last day of validity
 * @param at            when the reminder was raised
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardExpiring(UUID applicationId, String cardNumber, LocalDate validUntil, Instant at) implements CardEvent {
}
