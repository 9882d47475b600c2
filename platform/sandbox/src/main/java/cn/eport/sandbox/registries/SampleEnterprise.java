package cn.eport.sandbox.registries;

import cn.eport.contracts.EnterpriseType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An enterprise of the sample data: what it would write on its forms, and what the agencies'
 * registries hold about it ({@link Fate}).
 */
public record SampleEnterprise(
        String name,
        EnterpriseType type,
        String uscc,
        String organisationCode,
        String businessRegistrationNumber,
        String taxRegistrationNumber,
        String customsRegistrationCode,
        String tradeCertificateNumber,
        String address,
        Person legalRepresentative,
        List<Operator> operators,
        Fate fate) {

    /** The application form this enterprise submits to intake, as JSON-ready maps. */
    public Map<String, Object> applicationForm() {
        Map<String, Object> enterprise = new LinkedHashMap<>();
        enterprise.put("name", name);
        enterprise.put("type", type.name());
        enterprise.put("uscc", uscc);
        enterprise.put("organisationCode", organisationCode);
        enterprise.put("businessRegistrationNumber", businessRegistrationNumber);
        enterprise.put("taxRegistrationNumber", taxRegistrationNumber);
        enterprise.put("customsRegistrationCode", customsRegistrationCode);
        enterprise.put("tradeCertificateNumber", tradeCertificateNumber);
        enterprise.put("address", address);
        enterprise.put("legalRepresentative", legalRepresentative.name());
        enterprise.put("contactPhone", "0591-87654321");
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("enterprise", enterprise);
        form.put("legalRepresentative", Map.of("name", legalRepresentative.name(), "idNumber", legalRepresentative.idNumber()));
        form.put("operators", operators.stream().map(o -> Map.of("name", o.name(), "idNumber", o.idNumber(),
                "customsBrokerCertificate", o.brokerCertificate())).toList());
        return form;
    }

    public record Person(String name, String idNumber) {
    }

    public record Operator(String name, String idNumber, String brokerCertificate) {
    }

    /** What the registries say, and so what the joint review should conclude. */
    public enum Fate {
        /** Every registry holds valid records in the enterprise's name: cards are issued. */
        CLEAN("approved"),
        /** The organisation code certificate is revoked: quality rejects. */
        ORGANISATION_CODE_REVOKED("rejected by quality"),
        /** The tax registration expired last month: tax rejects. */
        TAX_REGISTRATION_EXPIRED("rejected by tax"),
        /** The business licence expires in ten days: commerce refers it to a reviewer. */
        BUSINESS_LICENCE_EXPIRING("referred by commerce"),
        /** Commerce has the licence under the group's name: commerce refers it. */
        BUSINESS_LICENCE_NAME_DIFFERS("referred by commerce"),
        /** The write-off qualification is suspended: forex rejects. */
        WRITE_OFF_QUALIFICATION_SUSPENDED("rejected by forex"),
        /** One operator's broker certificate is revoked: customs rejects. */
        BROKER_CERTIFICATE_REVOKED("rejected by customs"),
        /** The trade registry cannot confirm the certificate: trade refers it. */
        TRADE_CERTIFICATE_UNKNOWN("referred by trade");

        private final String expected;

        Fate(String expected) {
            this.expected = expected;
        }

        public String expected() {
            return expected;
        }
    }
}
