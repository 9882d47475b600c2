package cn.eport.sandbox;

import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Application forms as an enterprise of the sample data would fill them. */
final class SampleForms {

    private SampleForms() {
    }

    /** The enterprise of the standards' examples (USCC 91350100M000100Y43 and the legacy trio agreeing with it). */
    static Map<String, Object> valid() {
        return of(SampleData.enterprises().get(0));
    }

    /** The first sample enterprise whose registries hold {@code fate}. */
    static SampleEnterprise withFate(SampleEnterprise.Fate fate) {
        return SampleData.enterprises().stream().filter(e -> e.fate() == fate).findFirst().orElseThrow();
    }

    static Map<String, Object> of(SampleEnterprise e) {
        return e.applicationForm();
    }

    /** A pre-2015 enterprise: the organisation code of GB 11714's example and its legacy trio, no USCC. */
    static Map<String, Object> legacy(String organisationCode, String taxNumber) {
        Map<String, Object> enterprise = new LinkedHashMap<>();
        enterprise.put("name", "闽江贸易公司");
        enterprise.put("type", "DOMESTIC");
        enterprise.put("organisationCode", organisationCode);
        enterprise.put("businessRegistrationNumber", "110108000000016");
        enterprise.put("taxRegistrationNumber", taxNumber);
        enterprise.put("customsRegistrationCode", "3501910123");
        enterprise.put("tradeCertificateNumber", "ZMQ-2001-0001");
        enterprise.put("address", "福州市台江区江滨路8号");
        enterprise.put("legalRepresentative", "张伟");
        enterprise.put("contactPhone", "0591-83333333");
        return Map.of(
                "enterprise", enterprise,
                "legalRepresentative", Map.of("name", "张伟", "idNumber", SampleData.idNumber("350102", "19700101", "011")),
                "operators", List.of(Map.of("name", "李娜", "idNumber", SampleData.idNumber("350104", "19881212", "024"),
                        "customsBrokerCertificate", "BG35010003")));
    }
}
