package cn.eport.commercecheck;

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

class CommerceRulesTest {

    private final CommerceRules rules = new CommerceRules();

    static Stream<Arguments> wellFormedLicenceNumbers() {
        return Stream.of(
                Arguments.of("91350100M000100Y43", "110108000000016"), // both, as a licence of 2015 may print them
                Arguments.of("91350100M000100Y43", null),              // since 2015 the USCC alone
                Arguments.of(null, "110108000000016"));                // a legacy licence: the GS 15-2006 example alone
    }

    @ParameterizedTest(name = "uscc {0}, business registration number {1}")
    @MethodSource("wellFormedLicenceNumbers")
    void approvesAWellFormedBusinessRegistrationNumberOrUscc(String uscc, String businessRegistrationNumber) {
        assertThat(rules.check(application(uscc, businessRegistrationNumber))).isEmpty();
    }

    static Stream<Arguments> wrongCheckCharacters() {
        return Stream.of(
                Arguments.of(null, "110108000000017", "COMMERCE_BUSINESS_REGISTRATION_NUMBER_CHECK_CHARACTER", "110108000000017"),
                Arguments.of("91350100M000100Y43", "110108000000010", "COMMERCE_BUSINESS_REGISTRATION_NUMBER_CHECK_CHARACTER",
                        "110108000000010"),
                Arguments.of("91350100M000100Y44", null, "COMMERCE_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER", "91350100M000100Y44"),
                Arguments.of("91350100M000100Y44", "110108000000016", "COMMERCE_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER",
                        "91350100M000100Y44"));
    }

    @ParameterizedTest(name = "uscc {0}, business registration number {1} -> {2}")
    @MethodSource("wrongCheckCharacters")
    void rejectsABusinessRegistrationNumberOrUsccWithTheWrongCheckCharacter(String uscc, String businessRegistrationNumber,
            String code, String badValue) {
        assertSingleRejection(rules.check(application(uscc, businessRegistrationNumber)), code, badValue);
    }

    static Stream<Arguments> malformedLicenceNumbers() {
        return Stream.of(
                Arguments.of(null, "11010800000001A", "COMMERCE_BUSINESS_REGISTRATION_NUMBER_MALFORMED", "11010800000001A"), // digits only
                Arguments.of(null, "11010800000001", "COMMERCE_BUSINESS_REGISTRATION_NUMBER_MALFORMED", "11010800000001"),   // 14 digits
                Arguments.of("91350100M000100Y4Z", null, "COMMERCE_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED", "91350100M000100Y4Z"),
                Arguments.of("9135010OM000100Y43", "110108000000016", "COMMERCE_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED",
                        "9135010OM000100Y43"));                                                                              // O is not allowed
    }

    @ParameterizedTest(name = "uscc {0}, business registration number {1} -> {2}")
    @MethodSource("malformedLicenceNumbers")
    void rejectsAMalformedBusinessRegistrationNumberOrUscc(String uscc, String businessRegistrationNumber, String code,
            String badValue) {
        assertSingleRejection(rules.check(application(uscc, businessRegistrationNumber)), code, badValue);
    }

    @Test
    void reportsBothNumbersWhenBothAreWrong() {
        List<Finding> findings = rules.check(application("91350100M000100Y44", "110108000000017"));

        assertThat(findings).extracting(f -> f.reason().code()).containsExactly(
                "COMMERCE_BUSINESS_REGISTRATION_NUMBER_CHECK_CHARACTER", "COMMERCE_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER");
        assertThat(findings).allSatisfy(f -> assertThat(f.effect()).isEqualTo(Finding.Effect.REJECT));
    }

    @Test
    void rejectsAnApplicationWithNeitherBusinessRegistrationNumberNorUscc() {
        List<Finding> findings = rules.check(application(null, null));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("COMMERCE_BUSINESS_REGISTRATION_NUMBER_MISSING");
            assertThat(finding.reason().zh()).contains("工商注册号");
            assertThat(finding.reason().en()).contains("business registration number");
        });
    }

    private static void assertSingleRejection(List<Finding> findings, String code, String badValue) {
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo(code);
            assertThat(finding.reason().zh()).isNotBlank().contains(badValue);
            assertThat(finding.reason().en()).isNotBlank().contains(badValue);
        });
    }

    /** The sample application with the numbers this agency reads; the organisation code and tax number are absent. */
    private static ApplicationSubmitted application(String uscc, String businessRegistrationNumber) {
        Enterprise enterprise = new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, uscc, null,
                businessRegistrationNumber, null, "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明", "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000013",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
