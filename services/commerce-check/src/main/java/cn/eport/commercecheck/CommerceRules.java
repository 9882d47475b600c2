package cn.eport.commercecheck;

import static cn.eport.identifiers.IdentifierKind.BUSINESS_REGISTRATION_NUMBER;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 工商行政管理局 checks the business licence (企业法人营业执照): on the form, the business registration
 * number of GS 15-2006 or, since 2015, the USCC printed on the licence; in its registry, that the
 * licence is on file under that number, in force, not expiring within 30 days and issued to the
 * enterprise named on the form.
 */
final class CommerceRules implements AgencyRules {

    static final Agency AGENCY = Agency.COMMERCE;
    static final String LICENCE = "businessLicence";
    private static final CertificateFindings.Document DOCUMENT =
            new CertificateFindings.Document("BUSINESS_LICENCE", "营业执照", "business licence");

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "commerce-rules/2";
    }

    /** The enterprise's name and the documents this agency checks: an amendment that leaves them alone keeps its approval. */
    @Override
    public List<Object> inputs(ApplicationRevision application) {
        Enterprise e = application.enterprise();
        return Arrays.asList(e.name(), e.uscc(), e.businessRegistrationNumber());
    }

    @Override
    public List<RegistryQuery> registryQueries(ApplicationRevision application) {
        return formFindings(application).isEmpty()
                ? List.of(new RegistryQuery(LICENCE, "business-licences", licenceNumber(application.enterprise())))
                : List.of();
    }

    @Override
    public List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today) {
        List<Finding> onTheForm = formFindings(application);
        if (!onTheForm.isEmpty()) {
            return onTheForm;
        }
        Enterprise enterprise = application.enterprise();
        return CertificateFindings.of(AGENCY, DOCUMENT, licenceNumber(enterprise), facts.record(LICENCE), enterprise.name(), today);
    }

    private static List<Finding> formFindings(ApplicationRevision application) {
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

    /** Since 2015 the licence is filed under the USCC; before, under the business registration number. */
    private static String licenceNumber(Enterprise enterprise) {
        return enterprise.uscc() != null ? enterprise.uscc() : enterprise.businessRegistrationNumber();
    }
}
