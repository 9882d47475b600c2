package cn.eport.forexcheck;

import static cn.eport.identifiers.IdentifierKind.ORGANISATION_CODE;
import static cn.eport.identifiers.IdentifierKind.UNIFIED_SOCIAL_CREDIT_CODE;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Enterprise;
import java.util.ArrayList;
import java.util.List;

/**
 * 国家外汇管理局 checks the foreign-exchange write-off qualification (外汇核销资格), which it files
 * under the enterprise's organisation code: the code (or the USCC holding it) must be well formed.
 */
final class ForexRules implements AgencyRules {

    static final Agency AGENCY = Agency.FOREX;

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "forex-rules/1";
    }

    @Override
    public List<Finding> check(ApplicationSubmitted application) {
        Enterprise enterprise = application.enterprise();
        if (enterprise.uscc() == null && enterprise.organisationCode() == null) {
            return List.of(IdentifierFindings.missing(AGENCY, "ORGANISATION_CODE", "组织机构代码或统一社会信用代码",
                    "organisation code or unified social credit code"));
        }
        List<Finding> findings = new ArrayList<>();
        IdentifierFindings.malformed(AGENCY, ORGANISATION_CODE, enterprise.organisationCode()).ifPresent(findings::add);
        IdentifierFindings.malformed(AGENCY, UNIFIED_SOCIAL_CREDIT_CODE, enterprise.uscc()).ifPresent(findings::add);
        return findings;
    }
}
