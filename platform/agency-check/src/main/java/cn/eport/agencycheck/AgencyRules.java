package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import java.util.List;

/**
 * An agency's rules: plain Java, no I/O, facts in and findings out. The only thing an agency
 * service must provide; the kit turns the findings into a verdict: any REJECT finding rejects,
 * otherwise any REFER finding refers, otherwise the application is approved.
 */
public interface AgencyRules {

    Agency agency();

    /** The rule set and its version, recorded in every verdict: {@code quality-rules/1}. */
    String ruleSetVersion();

    List<Finding> check(ApplicationSubmitted application);
}
