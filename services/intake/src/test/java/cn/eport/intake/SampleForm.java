package cn.eport.intake;

import cn.eport.identifiers.ResidentIdNumber;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * An application form as the JSON an applicant sends, built from a valid one with single fields
 * changed, so each test states only what it breaks: {@code valid().with("enterprise.uscc", "...")}.
 * Paths are dotted, with list indexes: {@code operators[1].idNumber}.
 */
final class SampleForm {

    static final String USCC = "91350100M000100Y43";
    static final String ORGANISATION_CODE = "M000100Y-4";
    static final String BUSINESS_REGISTRATION_NUMBER = "110108000000016";
    static final String TAX_REGISTRATION_NUMBER = "350100M000100Y4";
    static final String LEGACY_ORGANISATION_CODE = "D2143569-X";
    static final String LEGACY_TAX_REGISTRATION_NUMBER = "350100D2143569X";
    static final String RESIDENT_ID_NUMBER = "11010519491231002X";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Object> body;

    private SampleForm(Map<String, Object> body) {
        this.body = body;
    }

    /** A post-2015 enterprise that gives its USCC and the legacy trio, all agreeing; two operators. */
    static SampleForm valid() {
        Map<String, Object> enterprise = new LinkedHashMap<>();
        enterprise.put("name", "福州榕城进出口贸易有限公司");
        enterprise.put("type", "DOMESTIC");
        enterprise.put("uscc", USCC);
        enterprise.put("organisationCode", ORGANISATION_CODE);
        enterprise.put("businessRegistrationNumber", BUSINESS_REGISTRATION_NUMBER);
        enterprise.put("taxRegistrationNumber", TAX_REGISTRATION_NUMBER);
        enterprise.put("customsRegistrationCode", "3501910123");
        enterprise.put("tradeCertificateNumber", "ZMQ-2001-0001");
        enterprise.put("address", "福州市鼓楼区五四路1号");
        enterprise.put("legalRepresentative", "林晓明");
        enterprise.put("contactPhone", "0591-87654321");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enterprise", enterprise);
        body.put("legalRepresentative", person("林晓明", RESIDENT_ID_NUMBER));
        body.put("operators", new ArrayList<>(List.of(
                operator("陈静", idNumber("350102", "19850314", "002"), "BG35010001"),
                operator("王磊", idNumber("350103", "19900921", "015"), "BG35010002"))));
        return new SampleForm(body);
    }

    /** A pre-2015 enterprise: no USCC, the legacy trio of organisation code D2143569-X. */
    static SampleForm validLegacy() {
        return valid().without("enterprise.uscc")
                .with("enterprise.organisationCode", LEGACY_ORGANISATION_CODE)
                .with("enterprise.taxRegistrationNumber", LEGACY_TAX_REGISTRATION_NUMBER);
    }

    /** A valid resident ID number for a birth date and sequence. */
    static String idNumber(String area, String birthDate, String sequence) {
        String body = area + birthDate + sequence;
        return body + ResidentIdNumber.checkCharacter(body);
    }

    static Map<String, Object> operator(String name, String idNumber, String customsBrokerCertificate) {
        Map<String, Object> operator = person(name, idNumber);
        operator.put("customsBrokerCertificate", customsBrokerCertificate);
        return operator;
    }

    /** A copy with the value at {@code path} replaced or added; {@code operators[1]} replaces a list element. */
    @SuppressWarnings("unchecked")
    SampleForm with(String path, @Nullable Object value) {
        SampleForm copy = copy();
        String[] steps = path.split("\\.");
        Map<String, Object> parent = copy.parentOf(steps);
        String last = steps[steps.length - 1];
        int bracket = last.indexOf('[');
        if (bracket < 0) {
            parent.put(last, value);
        } else {
            ((List<Object>) parent.get(last.substring(0, bracket)))
                    .set(Integer.parseInt(last.substring(bracket + 1, last.length() - 1)), value);
        }
        return copy;
    }

    /** A copy without the field at {@code path}, as if the applicant left it out. */
    SampleForm without(String path) {
        SampleForm copy = copy();
        String[] steps = path.split("\\.");
        copy.parentOf(steps).remove(steps[steps.length - 1]);
        return copy;
    }

    ApplicationForm form() {
        return JSON.convertValue(body, ApplicationForm.class);
    }

    String json() {
        return JSON.writeValueAsString(body);
    }

    @Override
    public String toString() {
        return json();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parentOf(String[] steps) {
        Object node = body;
        for (int i = 0; i < steps.length - 1; i++) {
            String step = steps[i];
            int bracket = step.indexOf('[');
            node = ((Map<String, Object>) node).get(bracket < 0 ? step : step.substring(0, bracket));
            if (bracket >= 0) {
                node = ((List<Object>) node).get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
            }
        }
        return (Map<String, Object>) node;
    }

    private SampleForm copy() {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) deepCopy(body);
        return new SampleForm(copy);
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object deepCopy(@Nullable Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, value) -> copy.put(key, deepCopy(value)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(element -> copy.add(deepCopy(element)));
            return copy;
        }
        return node;
    }

    private static Map<String, Object> person(String name, String idNumber) {
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("name", name);
        person.put("idNumber", idNumber);
        return person;
    }
}
