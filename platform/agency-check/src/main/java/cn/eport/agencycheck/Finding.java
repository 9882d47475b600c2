package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Reason;

/**
 * What a rule found: grounds to reject, or a question only a reviewer of the agency can answer.
 *
 * @param reason the stable code and the messages the applicant reads
 */
public record Finding(Effect effect, Reason reason) {

    public enum Effect {
        REJECT,
        REFER
    }

    public static Finding reject(String code, String zh, String en) {
        return new Finding(Effect.REJECT, new Reason(code, zh, en));
    }

    public static Finding refer(String code, String zh, String en) {
        return new Finding(Effect.REFER, new Reason(code, zh, en));
    }

    /**
     * The stable reason code {@code <AGENCY>_<SUBJECT>_<PROBLEM>}, naming the agency once even where the
     * subject begins with it: TAX_REGISTRATION_NUMBER_MISSING, not TAX_TAX_REGISTRATION_NUMBER_MISSING.
     */
    public static String code(Agency agency, String subject, String problem) {
        String prefix = agency.name() + "_";
        return (subject.startsWith(prefix) ? subject : prefix + subject) + "_" + problem;
    }
}
