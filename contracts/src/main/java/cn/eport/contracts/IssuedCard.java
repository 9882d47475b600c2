package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/**
 * One IC card of a card set.
 *
 * @param cardNumber     the card's number, with its check character
 * @param holderName     whose card it is
 * @param maskedIdNumber the holder's resident ID number, masked
 * @param validUntil     optional, added after v1 (readers of v1 ignore it): the last day the card is valid
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IssuedCard(String cardNumber, String holderName, String maskedIdNumber, LocalDate validUntil) {

    /** A card as v1 described it: without its validity. */
    public IssuedCard(String cardNumber, String holderName, String maskedIdNumber) {
        this(cardNumber, holderName, maskedIdNumber, null);
    }
}
