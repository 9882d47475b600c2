package cn.eport.qualitycheck;

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

class QualityRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)E港进出口贸易有限公司";

    private final QualityRules rules = new QualityRules();

    static Stream<Arguments> agreeingIdentifiers() {
        return Stream.of(
                Arguments.of("91350100M000100Y43", "M000100Y-4", "M000100Y4"),  // the USCC example and the code inside it
                Arguments.of("91350100M000100Y43", "M000100Y4", "M000100Y4"),   // hyphen optional on input
                Arguments.of("91350100M000100Y43", null, "M000100Y4"),          // since 2015 the USCC alone: its characters 9-17
                Arguments.of(null, "D2143569-X", "D2143569X"),                  // a legacy enterprise: the GB 11714 example alone
                Arguments.of("91350100D2143569XA", "D2143569-X", "D2143569X")); // a USCC built around the legacy code
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1} -> organisation-codes/{2}")
    @MethodSource("agreeingIdentifiers")
    void asksTheRegistryForTheCertificateFiledUnderTheNineCharacterOrganisationCode(String uscc, String organisationCode,
            String filedUnder) {
        assertThat(rules.registryQueries(application(uscc, organisationCode)))
                .containsExactly(new RegistryQuery("organisationCodeCertificate", "organisation-codes", filedUnder));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}")
    @MethodSource("agreeingIdentifiers")
    void approvesWellFormedIdentifiersThatNameOneOrganisationWhenTheRegistryHoldsTheCertificate(String uscc,
            String organisationCode, String filedUnder) {
        assertThat(rules.check(application(uscc, organisationCode), facts(found(VALID, TODAY.plusYears(2), NAME)), TODAY))
                .isEmpty();
    }

    static Stream<Arguments> registryAnswers() {
        return Stream.of(
                Arguments.of("in force, in the name on the form", found(VALID, TODAY.plusYears(2), NAME), List.of()),
                Arguments.of("in force, no expiry date", found(VALID, null, NAME), List.of()),
                Arguments.of("not on the register", Optional.empty(),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_NOT_REGISTERED")),
                Arguments.of("revoked", found(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_REVOKED")),
                Arguments.of("suspended", found(SUSPENDED, TODAY.plusYears(2), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_SUSPENDED")),
                Arguments.of("status unknown", found(UNKNOWN, TODAY.plusYears(2), NAME),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of("expired yesterday", found(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRED")),
                Arguments.of("expiring in 10 days", found(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRING")),
                Arguments.of("expiring in 40 days", found(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of("in another name", found(VALID, TODAY.plusYears(2), "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of("the same name in full-width brackets, letter and space",
                        found(VALID, TODAY.plusYears(2), "榕城（福州）Ｅ港进出口贸易　有限公司"), List.of()),
                Arguments.of("the same name in square brackets, lower case",
                        found(VALID, TODAY.plusYears(2), "榕城【福州】e港 进出口贸易有限公司"), List.of()));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("registryAnswers")
    void decidesOnWhatTheRegistryHoldsAboutTheCertificate(String answer, Optional<RegistryRecord> record,
            List<String> expected) {
        List<Finding> findings = rules.check(application("91350100M000100Y43", "M000100Y-4"), facts(record), TODAY);

        assertThat(findings).extracting(QualityRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    @Test
    void quotesTheOrganisationCodeInItsPrintedFormEvenWhenItCameFromTheUscc() {
        List<Finding> findings = rules.check(application("91350100M000100Y43", null), facts(Optional.empty()), TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains("组织机构代码证", "M000100Y-4");
            assertThat(finding.reason().en()).contains("organisation code certificate", "M000100Y-4");
        });
    }

    static Stream<Arguments> wrongCheckCharacters() {
        return Stream.of(
                Arguments.of(null, "D2143569-1", "QUALITY_ORGANISATION_CODE_CHECK_CHARACTER", "D2143569-1"),
                Arguments.of("91350100M000100Y43", "M000100Y-5", "QUALITY_ORGANISATION_CODE_CHECK_CHARACTER", "M000100Y-5"),
                Arguments.of("91350100M000100Y44", null, "QUALITY_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER", "91350100M000100Y44"),
                Arguments.of("91350100M000100Y44", "M000100Y-4", "QUALITY_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER",
                        "91350100M000100Y44"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1} -> {2}")
    @MethodSource("wrongCheckCharacters")
    void rejectsAnOrganisationCodeOrUsccWithTheWrongCheckCharacter(String uscc, String organisationCode, String code,
            String badValue) {
        assertSingleRejection(formFindings(application(uscc, organisationCode)), code, badValue);
    }

    static Stream<Arguments> malformedIdentifiers() {
        return Stream.of(
                Arguments.of(null, "D2143569-", "QUALITY_ORGANISATION_CODE_MALFORMED", "D2143569-"),      // too short
                Arguments.of(null, "d2143569-X", "QUALITY_ORGANISATION_CODE_MALFORMED", "d2143569-X"),    // lower case
                Arguments.of(null, "D214356#-X", "QUALITY_ORGANISATION_CODE_MALFORMED", "D214356#-X"),
                Arguments.of("91350100M000100Y4Z", null, "QUALITY_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED",
                        "91350100M000100Y4Z"),                                                            // Z is not in the alphabet
                Arguments.of("91350100I000100Y43", null, "QUALITY_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED",
                        "91350100I000100Y43"),                                                            // nor is I
                Arguments.of("91350100M000100Y4", "M000100Y-4", "QUALITY_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED",
                        "91350100M000100Y4"));                                                            // 17 characters
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1} -> {2}")
    @MethodSource("malformedIdentifiers")
    void rejectsAMalformedOrganisationCodeOrUscc(String uscc, String organisationCode, String code, String badValue) {
        assertSingleRejection(formFindings(application(uscc, organisationCode)), code, badValue);
    }

    static Stream<Arguments> disagreeingIdentifiers() {
        return Stream.of(
                Arguments.of("91350100M000100Y43", "D2143569-X"),
                Arguments.of("91350100D2143569XA", "M000100Y-4"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}")
    @MethodSource("disagreeingIdentifiers")
    void rejectsAUsccWhoseCharacters9To17AreAnotherOrganisationCode(String uscc, String organisationCode) {
        List<Finding> findings = formFindings(application(uscc, organisationCode));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("QUALITY_USCC_AND_ORGANISATION_CODE_DISAGREE");
            assertThat(finding.reason().zh()).contains("统一社会信用代码第9至17位");
            assertThat(finding.reason().en()).containsIgnoringCase("characters 9-17 of the unified social credit code");
        });
    }

    @Test
    void reportsEveryBadIdentifierAndDoesNotCompareThemWithEachOther() {
        List<Finding> findings = formFindings(application("91350100D2143569XB", "M000100Y-5"));

        assertThat(findings).extracting(f -> f.reason().code()).containsExactly(
                "QUALITY_ORGANISATION_CODE_CHECK_CHARACTER", "QUALITY_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER");
        assertThat(findings).allSatisfy(f -> assertThat(f.effect()).isEqualTo(Finding.Effect.REJECT));
    }

    @Test
    void rejectsAnApplicationWithNeitherOrganisationCodeNorUscc() {
        List<Finding> findings = formFindings(application(null, null));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("QUALITY_ORGANISATION_CODE_MISSING");
            assertThat(finding.reason().zh()).contains("组织机构代码");
            assertThat(finding.reason().en()).contains("organisation code");
        });
    }

    /** A form the rules judge on its face: they ask the registry nothing and need no facts to decide. */
    private List<Finding> formFindings(ApplicationSubmitted application) {
        assertThat(rules.registryQueries(application)).isEmpty();
        return rules.check(application, RegistryFacts.NONE, TODAY);
    }

    private static RegistryFacts facts(Optional<RegistryRecord> certificate) {
        return new RegistryFacts(Map.of("organisationCodeCertificate", certificate));
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
