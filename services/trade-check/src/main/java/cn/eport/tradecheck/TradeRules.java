package cn.eport.tradecheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.CertificateFindings;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.agencycheck.RegistryFacts;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.agencycheck.RegistryRecord;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * 外经贸委 checks the certificate that lets the enterprise trade: a domestic enterprise needs the
 * import/export enterprise qualification certificate (进出口企业资格证书), a foreign-invested one the
 * approval certificate (外商投资企业批准证书). In its registry the certificate must be of that kind,
 * on file, in force, not expiring within 30 days and issued to the enterprise named on the form.
 */
final class TradeRules implements AgencyRules {

    static final Agency AGENCY = Agency.TRADE;
    static final String CERTIFICATE = "tradeCertificate";
    /** The registry's kind of each certificate. */
    static final String QUALIFICATION = "IMPORT_EXPORT_QUALIFICATION";
    static final String FIE_APPROVAL = "FIE_APPROVAL";

    private static final CertificateFindings.Document QUALIFICATION_CERTIFICATE = new CertificateFindings.Document(
            "QUALIFICATION_CERTIFICATE", "进出口企业资格证书", "import/export enterprise qualification certificate");
    private static final CertificateFindings.Document FIE_APPROVAL_CERTIFICATE = new CertificateFindings.Document(
            "FIE_APPROVAL_CERTIFICATE", "外商投资企业批准证书", "foreign-invested enterprise approval certificate");

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "trade-rules/2";
    }

    /** The enterprise's name and the documents this agency checks: an amendment that leaves them alone keeps its approval. */
    @Override
    public List<Object> inputs(ApplicationRevision application) {
        Enterprise e = application.enterprise();
        return Arrays.asList(e.name(), e.type(), e.tradeCertificateNumber());
    }

    @Override
    public List<RegistryQuery> registryQueries(ApplicationRevision application) {
        return formFindings(application).isEmpty()
                ? List.of(new RegistryQuery(CERTIFICATE, "trade-certificates", application.enterprise().tradeCertificateNumber()))
                : List.of();
    }

    @Override
    public List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today) {
        List<Finding> onTheForm = formFindings(application);
        if (!onTheForm.isEmpty()) {
            return onTheForm;
        }
        boolean foreignInvested = application.enterprise().type() == EnterpriseType.FOREIGN_INVESTED;
        CertificateFindings.Document document = foreignInvested ? FIE_APPROVAL_CERTIFICATE : QUALIFICATION_CERTIFICATE;
        String number = application.enterprise().tradeCertificateNumber();
        Optional<RegistryRecord> record = facts.record(CERTIFICATE);
        String requiredKind = foreignInvested ? FIE_APPROVAL : QUALIFICATION;
        String enterpriseKind = foreignInvested ? "foreign-invested" : "domestic";
        if (record.isPresent() && record.get().kind() == null) {
            return List.of(Finding.refer("TRADE_CERTIFICATE_KIND_UNKNOWN",
                    "登记机关未注明证书 " + number + " 的种类，转人工审核。",
                    "The register does not say what kind of certificate " + number + " is; a reviewer will look."));
        }
        if (record.isPresent() && !requiredKind.equals(record.get().kind())) {
            return List.of(Finding.reject("TRADE_WRONG_CERTIFICATE_KIND",
                    "证书 " + number + " 不是" + document.zh() + "：" + (foreignInvested ? "外商投资企业" : "内资企业") + "须持有" + document.zh() + "。",
                    "Certificate " + number + " is not the " + document.en() + " that a " + enterpriseKind + " enterprise needs."));
        }
        return new ArrayList<>(CertificateFindings.of(AGENCY, document, number, record, application.enterprise().name(), today));
    }

    private static List<Finding> formFindings(ApplicationRevision application) {
        String certificate = application.enterprise().tradeCertificateNumber();
        if (certificate != null && !certificate.isBlank()) {
            return List.of();
        }
        return List.of(application.enterprise().type() == EnterpriseType.FOREIGN_INVESTED
                ? IdentifierFindings.missing(AGENCY, "FIE_APPROVAL_CERTIFICATE", "外商投资企业批准证书编号",
                        "foreign-invested enterprise approval certificate number")
                : IdentifierFindings.missing(AGENCY, "QUALIFICATION_CERTIFICATE", "进出口企业资格证书编号",
                        "import/export enterprise qualification certificate number"));
    }
}
