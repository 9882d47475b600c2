package cn.eport.qualitycheck;

import static cn.eport.identifiers.IdentifierKind.ORGANISATION_CODE;
import static cn.eport.identifiers.IdentifierKind.UNIFIED_SOCIAL_CREDIT_CODE;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Enterprise;
import cn.eport.identifiers.Disagreement;
import java.util.ArrayList;
import java.util.List;

/**
 * 质量技术监督局 checks the organisation code certificate (组织机构代码证): the organisation code of
 * GB 11714, or the USCC of GB 32100 that contains it, and that the two agree when both are given.
 */
final class QualityRules implements AgencyRules {

    static final Agency AGENCY = Agency.QUALITY;

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "quality-rules/1";
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
        if (findings.isEmpty()) {
            Disagreement.among(enterprise.uscc(), enterprise.organisationCode(), null)
                    .forEach(disagreement -> findings.add(IdentifierFindings.disagreement(AGENCY, disagreement)));
        }
        return findings;
    }
}
