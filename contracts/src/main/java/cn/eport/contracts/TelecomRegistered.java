package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * Telecom (电信局) sold the enterprise its 17999 network access card and registered the enterprise
 * code on line: the last condition, with all six approvals, for issuing the cards. Written by the
 * telecom service to {@link Topics#TELECOM}, at most once per application.
 *
 * @param applicationId     the application, and the record key
 * @param slipNumber        the appointment slip the enterprise presented
 * @param enterpriseCode    the organisation code (nine characters, no hyphen) registered
 * @param networkCardNumber the 17999 card's number
 * @param registeredAt      when
 * @param registeredBy      the telecom clerk
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TelecomRegistered(UUID applicationId, String slipNumber, String enterpriseCode, String networkCardNumber,
        Instant registeredAt, String registeredBy) implements ApplicationEvent {
}
