package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One IC card of a card set.
 *
 * @param cardNumber     the card's number, with its check character
 * @param holderName     whose card it is
 * @param maskedIdNumber the holder's resident ID number, masked
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IssuedCard(String cardNumber, String holderName, String maskedIdNumber) {
}
