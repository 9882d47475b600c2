package cn.eport.tradecheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.EnterpriseType;
import java.util.List;

/**
 * 外经贸委 checks the certificate that lets the enterprise trade: a domestic enterprise's
 * import/export enterprise qualification certificate (进出口企业资格证书), a foreign-invested one's
 * approval certificate (外商投资企业批准证书).
 */
final class TradeRules implements AgencyRules {

    static final Agency AGENCY = Agency.TRADE;

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "trade-rules/1";
    }

    @Override
    public List<Finding> check(ApplicationSubmitted application) {
        String certificate = application.enterprise().tradeCertificateNumber();
        if (certificate != null && !certificate.isBlank()) {
            return List.of();
        }
        return List.of(application.enterprise().type() == EnterpriseType.FOREIGN_INVESTED
                ? IdentifierFindings.missing(AGENCY, "FIE_APPROVAL_CERTIFICATE", "外商投资企业批准证书编号",
                        "foreign-invested enterprise approval certificate number")
                : IdentifierFindings.missing(AGENCY, "TRADE_QUALIFICATION_CERTIFICATE", "进出口企业资格证书编号",
                        "import/export enterprise qualification certificate number"));
    }
}
