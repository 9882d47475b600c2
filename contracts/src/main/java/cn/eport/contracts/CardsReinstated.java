package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A set suspended on a withdrawn approval is valid again, under the same numbers: all six agencies approved a
 * later revision.
 *
 * @param applicationId the application, and the record key
 * @param revision      the revision approved again
 * @param cardNumbers   the cards valid again
 * @param at            when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CardsReinstated(UUID applicationId, int revision, List<String> cardNumbers, Instant at) implements CardEvent {

    public CardsReinstated {
        cardNumbers = List.copyOf(cardNumbers);
    }
}
