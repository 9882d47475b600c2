package cn.eport.commercecheck;

import static cn.eport.identifiers.IdentifierKind.BUSINESS_REGISTRATION_NUMBER;
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
 * 工商行政管理局 checks the business licence (企业法人营业执照): the business registration number of
 * GS 15-2006 or, since 2015, the USCC printed on the licence.
 */
final class CommerceRules implements AgencyRules {

    static final Agency AGENCY = Agency.COMMERCE;

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "commerce-rules/1";
    }

    @Override
    public List<Finding> check(ApplicationSubmitted application) {
        Enterprise enterprise = application.enterprise();
        if (enterprise.uscc() == null && enterprise.businessRegistrationNumber() == null) {
            return List.of(IdentifierFindings.missing(AGENCY, "BUSINESS_REGISTRATION_NUMBER", "工商注册号或统一社会信用代码",
                    "business registration number or unified social credit code"));
        }
        List<Finding> findings = new ArrayList<>();
        IdentifierFindings.malformed(AGENCY, BUSINESS_REGISTRATION_NUMBER, enterprise.businessRegistrationNumber())
                .ifPresent(findings::add);
        IdentifierFindings.malformed(AGENCY, UNIFIED_SOCIAL_CREDIT_CODE, enterprise.uscc()).ifPresent(findings::add);
        return findings;
    }
}
