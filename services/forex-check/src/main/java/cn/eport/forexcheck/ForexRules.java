package cn.eport.forexcheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.CertificateFindings;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.agencycheck.RegistryFacts;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.Enterprise;
import cn.eport.identifiers.OrganisationCode;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * 国家外汇管理局 checks the foreign-exchange write-off qualification (外汇核销资格), which it files
 * under the enterprise's organisation code: the code (or the USCC holding it) must be well formed,
 * and the qualification on file, active (not suspended or revoked) and held by the enterprise.
 */
final class ForexRules implements AgencyRules {

    static final Agency AGENCY = Agency.FOREX;
    static final String QUALIFICATION = "writeOffQualification";
    private static final CertificateFindings.Document DOCUMENT =
            new CertificateFindings.Document("WRITE_OFF_QUALIFICATION", "外汇核销资格", "foreign-exchange write-off qualification");

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "forex-rules/2";
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
                ? List.of(new RegistryQuery(QUALIFICATION, "write-off-qualifications", IdentifierFindings.organisationCode(application.enterprise())))
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
                facts.record(QUALIFICATION), enterprise.name(), today);
    }

    private static List<Finding> formFindings(ApplicationRevision application) {
        return IdentifierFindings.organisationIdentity(AGENCY, application.enterprise());
    }
}
