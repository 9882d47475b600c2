package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A lost card replaced: the replacement has a new number, and the old one never becomes valid again.
 *
 * @param applicationId      the application, and the record key
 * @param replacedCardNumber the lost card's number, now void
 * @param card               the replacement, for the same holder, with its validity
 * @param by                 who asked: {@code enterprise:<account>} or {@code clerk:<staff id>}
 * @param at                 when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardReplaced(UUID applicationId, String replacedCardNumber, IssuedCard card, String by, Instant at)
        implements CardEvent {
}
