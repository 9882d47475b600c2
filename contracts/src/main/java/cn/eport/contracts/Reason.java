package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why an agency rejected or referred: a stable code integrators can act on, and messages a person
 * can act on.
 *
 * @param code stable, upper snake case, prefixed by the agency: {@code QUALITY_ORGANISATION_CODE_CHECK_CHARACTER}
 * @param zh   the message in Chinese
 * @param en   the message in English
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reason(String code, String zh, String en) {
}
