package cn.eport.customscheck;

import static cn.eport.identifiers.IdentifierKind.CUSTOMS_REGISTRATION_CODE;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.agencycheck.CertificateFindings;
import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.IdentifierFindings;
import cn.eport.agencycheck.RegistryFacts;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.CardHolder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 海关 checks the customs declaration unit registration (报关单位登记注册证明) by its customs
 * registration code, and that every operator on Form 2 holds a customs broker certificate (报关员证):
 * each on file, in force, not expiring within 30 days and held by the enterprise or operator named.
 */
final class CustomsRules implements AgencyRules {

    static final Agency AGENCY = Agency.CUSTOMS;
    static final String REGISTRATION = "declarationUnit";
    static final String BROKER_CERTIFICATE = "brokerCertificate:";
    private static final CertificateFindings.Document UNIT = new CertificateFindings.Document(
            "DECLARATION_UNIT_REGISTRATION", "报关单位登记注册证明", "customs declaration unit registration");
    private static final CertificateFindings.Document BROKER = new CertificateFindings.Document(
            "BROKER_CERTIFICATE", "报关员证", "customs broker certificate");

    @Override
    public Agency agency() {
        return AGENCY;
    }

    @Override
    public String ruleSetVersion() {
        return "customs-rules/3";
    }

    /** The enterprise's name and the documents this agency checks: an amendment that leaves them alone keeps its approval. */
    @Override
    public List<Object> inputs(ApplicationRevision application) {
        Enterprise e = application.enterprise();
        return Arrays.asList(e.name(), e.customsRegistrationCode(), application.operators());
    }

    @Override
    public List<RegistryQuery> registryQueries(ApplicationRevision application) {
        if (!formFindings(application).isEmpty()) {
            return List.of();
        }
        List<RegistryQuery> queries = new ArrayList<>();
        queries.add(new RegistryQuery(REGISTRATION, "declaration-units", application.enterprise().customsRegistrationCode()));
        for (CardHolder operator : application.operators()) {
            String certificate = operator.customsBrokerCertificate();
            queries.add(new RegistryQuery(BROKER_CERTIFICATE + certificate, "broker-certificates", certificate));
        }
        return queries.stream().distinct().toList();
    }

    @Override
    public List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today) {
        List<Finding> onTheForm = formFindings(application);
        if (!onTheForm.isEmpty()) {
            return onTheForm;
        }
        String code = application.enterprise().customsRegistrationCode();
        List<Finding> findings = new ArrayList<>(CertificateFindings.of(AGENCY, UNIT, code, facts.record(REGISTRATION),
                application.enterprise().name(), today));
        for (CardHolder operator : application.operators()) {
            String certificate = operator.customsBrokerCertificate();
            findings.addAll(CertificateFindings.of(AGENCY, BROKER, certificate, facts.record(BROKER_CERTIFICATE + certificate),
                    operator.name(), today));
        }
        return findings;
    }

    private static List<Finding> formFindings(ApplicationRevision application) {
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
