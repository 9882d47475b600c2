package cn.eport.web;

/** The roles a token's {@code roles} claim may carry. */
public enum EportRole {
    /** An enterprise account: submits and follows its own applications. */
    APPLICANT,
    /** A customs clerk at the joint office: keys in paper applications on an enterprise's behalf. */
    CLERK,
    /** Agency staff (资格审查人员): decide referred cases of the agency named in the {@code agency} claim. */
    REVIEWER,
    /** A telecom clerk at the joint office (电信局): sells the 17999 card and registers the enterprise code. */
    TELECOM,
    /** The liaison office (联络员办公室): operates the system. */
    OPS,
    /**
     * An integrator's system (an enterprise group's ERP, a broker's software), given this role by the
     * liaison office at the identity provider: subscribes to webhooks for every application, or for
     * one agency's verdicts.
     */
    INTEGRATOR;

    /** The Spring Security authority: {@code ROLE_APPLICANT}. */
    public String authority() {
        return "ROLE_" + name();
    }
}
