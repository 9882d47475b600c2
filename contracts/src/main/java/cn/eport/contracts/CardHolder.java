package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A person on Form 2 (企业IC卡登记表) who receives a card.
 *
 * @param name                     the holder's name
 * @param maskedIdNumber           the resident ID number with all but its first three and last four
 *                                 characters hidden; the whole number never leaves intake
 * @param customsBrokerCertificate 报关员证 number; present for operators, absent for the legal representative
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CardHolder(String name, String maskedIdNumber, String customsBrokerCertificate) {
}
