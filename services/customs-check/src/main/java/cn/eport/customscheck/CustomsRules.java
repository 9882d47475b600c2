package cn.eport.customscheck;

import static cn.eport.identifiers.IdentifierKind.CUSTOMS_REGISTRATION_CODE;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import java.util.ArrayList;
import java.util.List;

/**
 * 海关 checks the customs declaration unit registration (报关单位登记注册证明) by its customs
 * registration code, and that every operator on Form 2 names a customs broker certificate (报关员证).
 */
final class CustomsRules implements AgencyRules {

    static final Agency AGENCY = Agency.CUSTOMS;

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "customs-rules/1";
    }

    @Override
    public List<Finding> check(ApplicationSubmitted application) {
        List<Finding> findings = new ArrayList<>();
        String code = application.enterprise().customsRegistrationCode();
        if (code == null) {
            findings.add(IdentifierFindings.missing(AGENCY, "CUSTOMS_REGISTRATION_CODE", "海关注册编码", "customs registration code"));
        } else {
            IdentifierFindings.malformed(AGENCY, CUSTOMS_REGISTRATION_CODE, code).ifPresent(findings::add);
        }
        for (CardHolder operator : application.operators()) {
            if (operator.customsBrokerCertificate() == null || operator.customsBrokerCertificate().isBlank()) {
                findings.add(Finding.reject("CUSTOMS_OPERATOR_WITHOUT_BROKER_CERTIFICATE",
                        "操作员" + operator.name() + "未提供报关员证号，操作员须持有有效报关员证。",
                        "Operator " + operator.name() + " gives no customs broker certificate number; every operator must hold a valid one."));
            }
        }
        return findings;
    }
}
