package cn.eport.taxcheck;

import static cn.eport.identifiers.IdentifierKind.TAX_REGISTRATION_NUMBER;
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
 * 国家税务局 checks the tax registration certificate (税务登记证): the legacy tax registration number
 * (an area code followed by the organisation code) or the USCC that replaced it, and that the
 * number names the same organisation as the organisation code and USCC on the form.
 */
final class TaxRules implements AgencyRules {

    static final Agency AGENCY = Agency.TAX;

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "tax-rules/1";
    }

    @Override
    public List<Finding> check(ApplicationSubmitted application) {
        Enterprise enterprise = application.enterprise();
        if (enterprise.uscc() == null && enterprise.taxRegistrationNumber() == null) {
            return List.of(IdentifierFindings.missing(AGENCY, "TAX_REGISTRATION_NUMBER", "税务登记号或统一社会信用代码",
                    "tax registration number or unified social credit code"));
        }
        List<Finding> findings = new ArrayList<>();
        IdentifierFindings.malformed(AGENCY, TAX_REGISTRATION_NUMBER, enterprise.taxRegistrationNumber()).ifPresent(findings::add);
        IdentifierFindings.malformed(AGENCY, UNIFIED_SOCIAL_CREDIT_CODE, enterprise.uscc()).ifPresent(findings::add);
        if (findings.isEmpty() && enterprise.taxRegistrationNumber() != null) {
            boolean organisationCodeUsable = enterprise.organisationCode() != null
                    && cn.eport.identifiers.OrganisationCode.problemWith(enterprise.organisationCode()).isEmpty();
            Disagreement.among(enterprise.uscc(), organisationCodeUsable ? enterprise.organisationCode() : null,
                            enterprise.taxRegistrationNumber()).stream()
                    .filter(d -> d != Disagreement.USCC_AND_ORGANISATION_CODE) // the quality check's to judge
                    .forEach(d -> findings.add(IdentifierFindings.disagreement(AGENCY, d)));
        }
        return findings;
    }
}
