package cn.eport.forexcheck;

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

class ForexRulesTest {

    private final ForexRules rules = new ForexRules();

    static Stream<Arguments> wellFormedIdentifiers() {
        return Stream.of(
                Arguments.of("91350100M000100Y43", "M000100Y-4"),
                Arguments.of("91350100M000100Y43", null),
                Arguments.of(null, "D2143569-X"),
                Arguments.of(null, "D2143569X"),
                // They disagree, but that is the quality bureau's to judge: forex only needs a well-formed code to file under.
                Arguments.of("91350100M000100Y43", "D2143569-X"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}")
    @MethodSource("wellFormedIdentifiers")
    void approvesAWellFormedOrganisationCodeOrUscc(String uscc, String organisationCode) {
        assertThat(rules.check(application(uscc, organisationCode))).isEmpty();
    }

    static Stream<Arguments> wrongCheckCharacters() {
        return Stream.of(
                Arguments.of(null, "D2143569-1", "FOREX_ORGANISATION_CODE_CHECK_CHARACTER", "D2143569-1"),
                Arguments.of("91350100M000100Y43", "M000100Y-5", "FOREX_ORGANISATION_CODE_CHECK_CHARACTER", "M000100Y-5"),
                Arguments.of("91350100M000100Y44", null, "FOREX_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER", "91350100M000100Y44"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1} -> {2}")
    @MethodSource("wrongCheckCharacters")
    void rejectsAnOrganisationCodeOrUsccWithTheWrongCheckCharacter(String uscc, String organisationCode, String code,
            String badValue) {
        assertSingleRejection(rules.check(application(uscc, organisationCode)), code, badValue);
    }

    static Stream<Arguments> malformedIdentifiers() {
        return Stream.of(
                Arguments.of(null, "D2143569-", "FOREX_ORGANISATION_CODE_MALFORMED", "D2143569-"),
                Arguments.of(null, "d2143569-X", "FOREX_ORGANISATION_CODE_MALFORMED", "d2143569-X"),
                Arguments.of("91350100M000100Y4Z", null, "FOREX_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED", "91350100M000100Y4Z"),
                Arguments.of("91350100M000100Y4", "M000100Y-4", "FOREX_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED", "91350100M000100Y4"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1} -> {2}")
    @MethodSource("malformedIdentifiers")
    void rejectsAMalformedOrganisationCodeOrUscc(String uscc, String organisationCode, String code, String badValue) {
        assertSingleRejection(rules.check(application(uscc, organisationCode)), code, badValue);
    }

    @Test
    void rejectsAnApplicationWithNeitherOrganisationCodeNorUscc() {
        List<Finding> findings = rules.check(application(null, null));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("FOREX_ORGANISATION_CODE_MISSING");
            assertThat(finding.reason().zh()).contains("组织机构代码");
            assertThat(finding.reason().en()).contains("organisation code");
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

    /** The sample application with the identifiers this agency reads; the legacy tax and business numbers are absent. */
    private static ApplicationSubmitted application(String uscc, String organisationCode) {
        Enterprise enterprise = new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, uscc, organisationCode,
                null, null, "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明", "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000013",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
