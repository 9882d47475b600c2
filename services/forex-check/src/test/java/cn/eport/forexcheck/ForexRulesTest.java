package cn.eport.forexcheck;

import static cn.eport.agencycheck.RegistryRecord.Status.REVOKED;
import static cn.eport.agencycheck.RegistryRecord.Status.SUSPENDED;
import static cn.eport.agencycheck.RegistryRecord.Status.UNKNOWN;
import static cn.eport.agencycheck.RegistryRecord.Status.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.agencycheck.Finding;
import cn.eport.agencycheck.RegistryFacts;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.agencycheck.RegistryRecord;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForexRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)E港进出口贸易有限公司";

    private final ForexRules rules = new ForexRules();

    static Stream<Arguments> wellFormedIdentifiers() {
        return Stream.of(
                Arguments.of("91350100M000100Y43", "M000100Y-4", "M000100Y4"),
                Arguments.of("91350100M000100Y43", null, "M000100Y4"), // USCC characters 9-17
                Arguments.of(null, "D2143569-X", "D2143569X"),
                Arguments.of(null, "D2143569X", "D2143569X"),
                // They disagree, but that is the quality bureau's to judge: forex only needs a well-formed code to file under,
                // and files under the organisation code when the form gives one.
                Arguments.of("91350100M000100Y43", "D2143569-X", "D2143569X"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1} -> write-off-qualifications/{2}")
    @MethodSource("wellFormedIdentifiers")
    void asksTheRegistryForTheQualificationFiledUnderTheNineCharacterOrganisationCode(String uscc, String organisationCode,
            String filedUnder) {
        assertThat(rules.registryQueries(application(uscc, organisationCode)))
                .containsExactly(new RegistryQuery("writeOffQualification", "write-off-qualifications", filedUnder));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}")
    @MethodSource("wellFormedIdentifiers")
    void approvesAWellFormedOrganisationCodeOrUsccWhenTheRegistryHoldsTheQualification(String uscc, String organisationCode,
            String filedUnder) {
        assertThat(rules.check(application(uscc, organisationCode), facts(found(VALID, null, NAME)), TODAY)).isEmpty();
    }

    static Stream<Arguments> registryAnswers() {
        return Stream.of(
                Arguments.of("active, in the name on the form", found(VALID, null, NAME), List.of()),
                Arguments.of("active for years", found(VALID, TODAY.plusYears(2), NAME), List.of()),
                Arguments.of("not on the register", Optional.empty(),
                        List.of("REJECT FOREX_WRITE_OFF_QUALIFICATION_NOT_REGISTERED")),
                Arguments.of("revoked", found(REVOKED, null, NAME), List.of("REJECT FOREX_WRITE_OFF_QUALIFICATION_REVOKED")),
                Arguments.of("suspended", found(SUSPENDED, null, NAME),
                        List.of("REJECT FOREX_WRITE_OFF_QUALIFICATION_SUSPENDED")),
                Arguments.of("status unknown", found(UNKNOWN, null, NAME),
                        List.of("REFER FOREX_WRITE_OFF_QUALIFICATION_STATUS_UNKNOWN")),
                Arguments.of("expired yesterday", found(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT FOREX_WRITE_OFF_QUALIFICATION_EXPIRED")),
                Arguments.of("expiring in 10 days", found(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER FOREX_WRITE_OFF_QUALIFICATION_EXPIRING")),
                Arguments.of("expiring in 40 days", found(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of("in another name", found(VALID, null, "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER FOREX_WRITE_OFF_QUALIFICATION_NAME_MISMATCH")),
                Arguments.of("the same name in full-width brackets, letter and space",
                        found(VALID, null, "榕城（福州）Ｅ港进出口贸易　有限公司"), List.of()),
                Arguments.of("the same name in square brackets, lower case",
                        found(VALID, null, "榕城【福州】e港 进出口贸易有限公司"), List.of()));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("registryAnswers")
    void decidesOnWhatTheRegistryHoldsAboutTheQualification(String answer, Optional<RegistryRecord> record,
            List<String> expected) {
        List<Finding> findings = rules.check(application("91350100M000100Y43", "M000100Y-4"), facts(record), TODAY);

        assertThat(findings).extracting(ForexRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    @Test
    void quotesTheOrganisationCodeInItsPrintedFormEvenWhenItCameFromTheUscc() {
        List<Finding> findings = rules.check(application("91350100M000100Y43", null), facts(found(SUSPENDED, null, NAME)), TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains("外汇核销资格", "M000100Y-4");
            assertThat(finding.reason().en()).contains("foreign-exchange write-off qualification", "M000100Y-4");
        });
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
        assertSingleRejection(formFindings(application(uscc, organisationCode)), code, badValue);
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
        assertSingleRejection(formFindings(application(uscc, organisationCode)), code, badValue);
    }

    @Test
    void rejectsAnApplicationWithNeitherOrganisationCodeNorUscc() {
        List<Finding> findings = formFindings(application(null, null));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("FOREX_ORGANISATION_CODE_MISSING");
            assertThat(finding.reason().zh()).contains("组织机构代码");
            assertThat(finding.reason().en()).contains("organisation code");
        });
    }

    /** A form the rules judge on its face: they ask the registry nothing and need no facts to decide. */
    private List<Finding> formFindings(ApplicationSubmitted application) {
        assertThat(rules.registryQueries(application)).isEmpty();
        return rules.check(application, RegistryFacts.NONE, TODAY);
    }

    private static RegistryFacts facts(Optional<RegistryRecord> qualification) {
        return new RegistryFacts(Map.of("writeOffQualification", qualification));
    }

    private static Optional<RegistryRecord> found(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return Optional.of(new RegistryRecord("M000100Y4", holderName, status, validUntil, null));
    }

    private static String effectAndCode(Finding finding) {
        return finding.effect() + " " + finding.reason().code();
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
        Enterprise enterprise = new Enterprise(NAME, EnterpriseType.DOMESTIC, uscc, organisationCode,
                null, null, "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明", "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000011",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
