package cn.eport.customscheck;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.agencycheck.Finding;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CustomsRulesTest {

    private static final CardHolder CHEN_JING = new CardHolder("陈静", "350***********0011", "BG35010001");
    private static final CardHolder WANG_LEI = new CardHolder("王磊", "350***********0152", "BG35010002");

    private final CustomsRules rules = new CustomsRules();

    static Stream<Arguments> registeredWithBrokers() {
        return Stream.of(
                Arguments.of("3501910123", List.of(CHEN_JING)),
                Arguments.of("350191A01B", List.of(CHEN_JING, WANG_LEI))); // the sequence may hold capital letters
    }

    @ParameterizedTest(name = "customs registration code {0}, operators {1}")
    @MethodSource("registeredWithBrokers")
    void approvesAWellFormedRegistrationCodeAndOperatorsWhoAllHoldBrokerCertificates(String customsCode,
            List<CardHolder> operators) {
        // The legal representative of the fixture holds no broker certificate, and needs none.
        assertThat(rules.check(application(customsCode, operators))).isEmpty();
    }

    static Stream<Arguments> malformedRegistrationCodes() {
        return Stream.of(
                Arguments.of("350191012"),   // nine characters
                Arguments.of("35019101234"), // eleven
                Arguments.of("35019A0123"),  // the enterprise-type position must be a digit
                Arguments.of("3501910a23")); // the sequence allows digits and capitals only
    }

    @ParameterizedTest(name = "customs registration code {0}")
    @MethodSource("malformedRegistrationCodes")
    void rejectsAMalformedCustomsRegistrationCode(String customsCode) {
        List<Finding> findings = rules.check(application(customsCode, List.of(CHEN_JING)));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("CUSTOMS_CUSTOMS_REGISTRATION_CODE_MALFORMED");
            assertThat(finding.reason().zh()).isNotBlank().contains(customsCode);
            assertThat(finding.reason().en()).isNotBlank().contains(customsCode);
        });
    }

    @Test
    void rejectsAnApplicationWithoutACustomsRegistrationCode() {
        List<Finding> findings = rules.check(application(null, List.of(CHEN_JING)));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("CUSTOMS_CUSTOMS_REGISTRATION_CODE_MISSING");
            assertThat(finding.reason().zh()).contains("海关注册编码");
            assertThat(finding.reason().en()).contains("customs registration code");
        });
    }

    static Stream<Arguments> operatorsWithoutBrokerCertificates() {
        CardHolder chenJingWithout = new CardHolder("陈静", "350***********0011", null);
        CardHolder wangLeiBlank = new CardHolder("王磊", "350***********0152", " ");
        return Stream.of(
                Arguments.of(List.of(chenJingWithout), List.of("陈静")),
                Arguments.of(List.of(CHEN_JING, wangLeiBlank), List.of("王磊")),
                Arguments.of(List.of(chenJingWithout, wangLeiBlank), List.of("陈静", "王磊")));
    }

    @ParameterizedTest(name = "operators {0}")
    @MethodSource("operatorsWithoutBrokerCertificates")
    void rejectsEachOperatorWithoutACustomsBrokerCertificate(List<CardHolder> operators, List<String> namesWithout) {
        List<Finding> findings = rules.check(application("3501910123", operators));

        assertThat(findings).hasSameSizeAs(namesWithout);
        for (int i = 0; i < namesWithout.size(); i++) {
            Finding finding = findings.get(i);
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("CUSTOMS_OPERATOR_WITHOUT_BROKER_CERTIFICATE");
            assertThat(finding.reason().zh()).contains(namesWithout.get(i)).contains("报关员证");
            assertThat(finding.reason().en()).contains(namesWithout.get(i)).contains("customs broker certificate");
        }
    }

    @Test
    void reportsTheMissingRegistrationCodeAndTheOperatorWithoutACertificateTogether() {
        List<Finding> findings = rules.check(application(null, List.of(new CardHolder("陈静", "350***********0011", null))));

        assertThat(findings).extracting(f -> f.reason().code())
                .containsExactly("CUSTOMS_CUSTOMS_REGISTRATION_CODE_MISSING", "CUSTOMS_OPERATOR_WITHOUT_BROKER_CERTIFICATE");
    }

    /** The sample application with the given customs registration code and operators. */
    private static ApplicationSubmitted application(String customsRegistrationCode, List<CardHolder> operators) {
        Enterprise enterprise = new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                "110108000000016", "350100M000100Y4", customsRegistrationCode, "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
                "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000013",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null), operators);
    }
}
