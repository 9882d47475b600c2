package cn.eport.taxcheck;

import static cn.eport.identifiers.IdentifierKind.TAX_REGISTRATION_NUMBER;
import static cn.eport.identifiers.IdentifierKind.UNIFIED_SOCIAL_CREDIT_CODE;

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
 * 国家税务局 checks the tax registration certificate (税务登记证): on the form, the legacy tax
 * registration number (an area code followed by the organisation code) or the USCC that replaced
 * it, naming the same organisation as the organisation code and USCC on the form; in its registry,
 * that the registration is on file, in force, not expiring within 30 days and in the enterprise's name.
 */
final class TaxRules implements AgencyRules {

    static final Agency AGENCY = Agency.TAX;
    static final String REGISTRATION = "taxRegistration";
    private static final CertificateFindings.Document DOCUMENT =
            new CertificateFindings.Document("TAX_REGISTRATION_CERTIFICATE", "税务登记证", "tax registration certificate");

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "tax-rules/3";
    }

    /** The enterprise's name and the documents this agency checks: an amendment that leaves them alone keeps its approval. */
    @Override
    public List<Object> inputs(ApplicationRevision application) {
        Enterprise e = application.enterprise();
        return Arrays.asList(e.name(), e.uscc(), e.taxRegistrationNumber(), e.organisationCode());
    }

    @Override
    public List<RegistryQuery> registryQueries(ApplicationRevision application) {
        return formFindings(application).isEmpty()
                ? List.of(new RegistryQuery(REGISTRATION, "tax-registrations", registrationNumber(application.enterprise())))
                : List.of();
    }

    @Override
    public List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today) {
        List<Finding> onTheForm = formFindings(application);
        if (!onTheForm.isEmpty()) {
            return onTheForm;
        }
        Enterprise enterprise = application.enterprise();
        return CertificateFindings.of(AGENCY, DOCUMENT, registrationNumber(enterprise), facts.record(REGISTRATION),
                enterprise.name(), today);
    }

    private static List<Finding> formFindings(ApplicationRevision application) {
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
                    && OrganisationCode.problemWith(enterprise.organisationCode()).isEmpty();
            Disagreement.among(enterprise.uscc(), organisationCodeUsable ? enterprise.organisationCode() : null,
                            enterprise.taxRegistrationNumber()).stream()
                    .filter(d -> d != Disagreement.USCC_AND_ORGANISATION_CODE) // the quality check's to judge
                    .forEach(d -> findings.add(IdentifierFindings.disagreement(AGENCY, d)));
        }
        return findings;
    }

    /** Since 2015 the registration is filed under the USCC; before, under the tax registration number. */
    private static String registrationNumber(Enterprise enterprise) {
        return enterprise.uscc() != null ? enterprise.uscc() : enterprise.taxRegistrationNumber();
    }
}
