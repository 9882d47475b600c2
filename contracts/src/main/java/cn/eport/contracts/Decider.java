package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Who decided a verdict.
 *
 * @param kind the agency's rules, or one of its reviewers
 * @param id   for rules the rule set and its version ({@code quality-rules/1}); for a reviewer their id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Decider(Kind kind, String id) {

    public enum Kind {
        RULES,
        REVIEWER
    }
}
