package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * An operator card (企业操作员卡) added to an issued set: the enterprise amended its application with a new
 * operator and customs (with the other five) approved the amended revision.
 *
 * @param applicationId the application, and the record key
 * @param revision      the approved revision that named the operator
 * @param card          the new card, with its validity
 * @param at            when it was recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperatorCardAdded(UUID applicationId, int revision, IssuedCard card, Instant at) implements CardEvent {
}
