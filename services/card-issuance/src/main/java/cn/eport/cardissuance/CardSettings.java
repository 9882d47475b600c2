package cn.eport.cardissuance;

import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cards' validity and their clock.
 *
 * @param validity      how long a card is valid from issuance, an extension or a renewal ({@code EPORT_CARD_VALIDITY}, two years)
 * @param reminderDays  how many days before the end of its validity a card's reminder is raised (30)
 * @param clockInterval how often the card clock looks for cards to remind of or expire (one minute)
 */
@ConfigurationProperties("eport.cards")
record CardSettings(@DefaultValue("P2Y") Period validity, @DefaultValue("30") int reminderDays,
        @DefaultValue("60s") Duration clockInterval) {
}
