package cn.eport.sandbox;

import cn.eport.identifiers.ResidentIdNumber;
import java.util.List;
import java.util.Map;

/** Application forms as an enterprise would fill them, with the standards' example identifiers. */
final class SampleForms {

    private SampleForms() {
    }

    /** A valid resident ID number for a birth date and sequence. */
    static String idNumber(String area, String birthDate, String sequence) {
        String body = area + birthDate + sequence;
        return body + ResidentIdNumber.checkCharacter(body);
    }

    /** Carries the USCC example of GB 32100 and the legacy trio that agrees with it. */
    static Map<String, Object> valid(String name) {
        return Map.of(
                "enterprise", enterprise(name, Map.of(
                        "uscc", "91350100M000100Y43",
                        "organisationCode", "M000100Y-4",
                        "businessRegistrationNumber", "110108000000016",
                        "taxRegistrationNumber", "350100M000100Y4")),
                "legalRepresentative", Map.of("name", "林晓明", "idNumber", "11010519491231002X"),
                "operators", List.of(
                        Map.of("name", "陈静", "idNumber", idNumber("350102", "19850314", "002"), "customsBrokerCertificate", "BG35010001"),
                        Map.of("name", "王磊", "idNumber", idNumber("350103", "19900921", "015"), "customsBrokerCertificate", "BG35010002")));
    }

    /** A pre-2015 enterprise: the organisation code example of GB 11714 with its legacy trio, no USCC. */
    static Map<String, Object> legacy(String name, String organisationCode, String taxNumber) {
        return Map.of(
                "enterprise", enterprise(name, Map.of(
                        "organisationCode", organisationCode,
                        "businessRegistrationNumber", "110108000000016",
                        "taxRegistrationNumber", taxNumber)),
                "legalRepresentative", Map.of("name", "张伟", "idNumber", idNumber("350102", "19700101", "011")),
                "operators", List.of(Map.of("name", "李娜", "idNumber", idNumber("350104", "19881212", "024"),
                        "customsBrokerCertificate", "BG35010003")));
    }

    private static Map<String, Object> enterprise(String name, Map<String, String> identifiers) {
        Map<String, Object> enterprise = new java.util.LinkedHashMap<>(identifiers);
        enterprise.put("name", name);
        enterprise.put("type", "DOMESTIC");
        enterprise.put("customsRegistrationCode", "3501910123");
        enterprise.put("tradeCertificateNumber", "ZMQ-2001-0001");
        enterprise.put("address", "福州市鼓楼区五四路1号");
        enterprise.put("legalRepresentative", "林晓明");
        enterprise.put("contactPhone", "0591-87654321");
        return enterprise;
    }
}
