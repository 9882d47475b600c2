package cn.eport.qualitycheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.CertificateFindings;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.agencycheck.RegistryFacts;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.Enterprise;
import cn.eport.identifiers.Disagreement;
import cn.eport.identifiers.OrganisationCode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 质量技术监督局 checks the organisation code certificate (组织机构代码证): on the form, the
 * organisation code of GB 11714 or the USCC of GB 32100 that contains it, agreeing when both are
 * given; in its registry, that the certificate is on file, in force, not expiring within 30 days
 * and issued to the enterprise named on the form.
 */
final class QualityRules implements AgencyRules {

    static final Agency AGENCY = Agency.QUALITY;
    static final String CERTIFICATE = "organisationCodeCertificate";
    private static final CertificateFindings.Document DOCUMENT =
            new CertificateFindings.Document("ORGANISATION_CODE_CERTIFICATE", "组织机构代码证", "organisation code certificate");

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "quality-rules/2";
    }

    /** The enterprise's name and the documents this agency checks: an amendment that leaves them alone keeps its approval. */
    @Override
    public List<Object> inputs(ApplicationRevision application) {
        Enterprise e = application.enterprise();
        return Arrays.asList(e.name(), e.uscc(), e.organisationCode());
    }

    @Override
    public List<RegistryQuery> registryQueries(ApplicationRevision application) {
        return formFindings(application).isEmpty()
                ? List.of(new RegistryQuery(CERTIFICATE, "organisation-codes", IdentifierFindings.organisationCode(application.enterprise())))
                : List.of();
    }

    @Override
    public List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today) {
        List<Finding> onTheForm = formFindings(application);
        if (!onTheForm.isEmpty()) {
            return onTheForm;
        }
        Enterprise enterprise = application.enterprise();
        return CertificateFindings.of(AGENCY, DOCUMENT, OrganisationCode.printed(IdentifierFindings.organisationCode(enterprise)),
                facts.record(CERTIFICATE), enterprise.name(), today);
    }

    private static List<Finding> formFindings(ApplicationRevision application) {
        Enterprise enterprise = application.enterprise();
        List<Finding> findings = new ArrayList<>(IdentifierFindings.organisationIdentity(AGENCY, enterprise));
        if (findings.isEmpty()) {
            Disagreement.among(enterprise.uscc(), enterprise.organisationCode(), null)
                    .forEach(disagreement -> findings.add(IdentifierFindings.disagreement(AGENCY, disagreement)));
        }
        return findings;
    }
}
