package cn.eport.taxcheck;

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

class TaxRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)E港进出口贸易有限公司";

    private final TaxRules rules = new TaxRules();

    static Stream<Arguments> agreeingIdentifiers() {
        return Stream.of(
                // the USCC example and its legacy trio: since 2015 the registration is filed under the USCC
                Arguments.of("91350100M000100Y43", "M000100Y-4", "350100M000100Y4", "91350100M000100Y43"),
                Arguments.of("91350100M000100Y43", null, null, "91350100M000100Y43"), // the USCC alone
                // the tax number agrees with the USCC
                Arguments.of("91350100M000100Y43", null, "350100M000100Y4", "91350100M000100Y43"),
                // before 2015, under the tax number: the GB 11714 example and its tax number
                Arguments.of(null, "D2143569-X", "350100D2143569X", "350100D2143569X"),
                Arguments.of(null, null, "350100D2143569X", "350100D2143569X"));      // a legacy tax number alone
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}, tax number {2} -> tax-registrations/{3}")
    @MethodSource("agreeingIdentifiers")
    void asksTheRegistryForTheRegistrationFiledUnderTheUsccOrElseTheTaxNumber(String uscc, String organisationCode,
            String taxNumber, String filedUnder) {
        assertThat(rules.registryQueries(application(uscc, organisationCode, taxNumber)))
                .containsExactly(new RegistryQuery("taxRegistration", "tax-registrations", filedUnder));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}, tax number {2}")
    @MethodSource("agreeingIdentifiers")
    void approvesATaxNumberOrUsccThatNamesTheSameOrganisationWhenTheRegistryHoldsTheRegistration(String uscc,
            String organisationCode, String taxNumber, String filedUnder) {
        assertThat(rules.check(application(uscc, organisationCode, taxNumber), facts(found(VALID, TODAY.plusYears(2), NAME)),
                TODAY)).isEmpty();
    }

    static Stream<Arguments> questionsForTheQualityBureau() {
        return Stream.of(
                // The USCC and the organisation code disagree, but the tax number agrees with the code.
                Arguments.of("91350100D2143569XA", "M000100Y-4", "350100M000100Y4"),
                // The organisation code is wrong, and the tax number agrees with the USCC.
                Arguments.of("91350100M000100Y43", "M000100Y-5", "350100M000100Y4"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}, tax number {2}")
    @MethodSource("questionsForTheQualityBureau")
    void leavesTheOrganisationCodeAndItsAgreementWithTheUsccToTheQualityBureau(String uscc, String organisationCode,
            String taxNumber) {
        ApplicationSubmitted application = application(uscc, organisationCode, taxNumber);

        assertThat(rules.registryQueries(application))
                .containsExactly(new RegistryQuery("taxRegistration", "tax-registrations", uscc));
        assertThat(rules.check(application, facts(found(VALID, TODAY.plusYears(2), NAME)), TODAY)).isEmpty();
    }

    static Stream<Arguments> registryAnswers() {
        return Stream.of(
                Arguments.of("in force, in the name on the form", found(VALID, TODAY.plusYears(2), NAME), List.of()),
                Arguments.of("in force, no expiry date", found(VALID, null, NAME), List.of()),
                Arguments.of("not on the register", Optional.empty(),
                        List.of("REJECT TAX_REGISTRATION_CERTIFICATE_NOT_REGISTERED")),
                Arguments.of("revoked", found(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TAX_REGISTRATION_CERTIFICATE_REVOKED")),
                Arguments.of("suspended", found(SUSPENDED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TAX_REGISTRATION_CERTIFICATE_SUSPENDED")),
                Arguments.of("status unknown", found(UNKNOWN, TODAY.plusYears(2), NAME),
                        List.of("REFER TAX_REGISTRATION_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of("expired yesterday", found(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT TAX_REGISTRATION_CERTIFICATE_EXPIRED")),
                Arguments.of("expiring in 10 days", found(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER TAX_REGISTRATION_CERTIFICATE_EXPIRING")),
                Arguments.of("expiring in 40 days", found(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of("in another name", found(VALID, TODAY.plusYears(2), "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER TAX_REGISTRATION_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of("the same name in full-width brackets, letter and space",
                        found(VALID, TODAY.plusYears(2), "榕城（福州）Ｅ港进出口贸易　有限公司"), List.of()),
                Arguments.of("the same name in square brackets, lower case",
                        found(VALID, TODAY.plusYears(2), "榕城【福州】e港 进出口贸易有限公司"), List.of()));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("registryAnswers")
    void decidesOnWhatTheRegistryHoldsAboutTheRegistration(String answer, Optional<RegistryRecord> record,
            List<String> expected) {
        List<Finding> findings = rules.check(application("91350100M000100Y43", "M000100Y-4", "350100M000100Y4"), facts(record),
                TODAY);

        assertThat(findings).extracting(TaxRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    @Test
    void quotesTheNumberTheRegistrationIsFiledUnder() {
        List<Finding> findings = rules.check(application(null, null, "350100D2143569X"), facts(Optional.empty()), TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains("税务登记证", "350100D2143569X");
            assertThat(finding.reason().en()).contains("tax registration certificate", "350100D2143569X");
        });
    }

    static Stream<Arguments> wrongCheckCharacters() {
        return Stream.of(
                // The tax number has no check character of its own: the organisation code inside it has one.
                Arguments.of(null, "D2143569-X", "350100D21435691", "TAX_REGISTRATION_NUMBER_CHECK_CHARACTER", "350100D21435691"),
                Arguments.of(null, null, "350100M000100Y5", "TAX_REGISTRATION_NUMBER_CHECK_CHARACTER", "350100M000100Y5"),
                Arguments.of("91350100M000100Y44", null, null, "TAX_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER", "91350100M000100Y44"),
                Arguments.of("91350100M000100Y44", "M000100Y-4", "350100M000100Y4", "TAX_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER",
                        "91350100M000100Y44"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}, tax number {2} -> {3}")
    @MethodSource("wrongCheckCharacters")
    void rejectsATaxNumberOrUsccWithTheWrongCheckCharacter(String uscc, String organisationCode, String taxNumber,
            String code, String badValue) {
        assertSingleRejection(formFindings(application(uscc, organisationCode, taxNumber)), code, badValue);
    }

    static Stream<Arguments> malformedIdentifiers() {
        return Stream.of(
                Arguments.of(null, null, "35010AD2143569X", "TAX_REGISTRATION_NUMBER_MALFORMED", "35010AD2143569X"), // area code not digits
                Arguments.of(null, null, "350100D2143569", "TAX_REGISTRATION_NUMBER_MALFORMED", "350100D2143569"),   // 14 characters
                Arguments.of(null, null, "350100d2143569X", "TAX_REGISTRATION_NUMBER_MALFORMED", "350100d2143569X"), // lower case
                Arguments.of("91350100M000100Y4Z", null, null, "TAX_UNIFIED_SOCIAL_CREDIT_CODE_MALFORMED", "91350100M000100Y4Z"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}, tax number {2} -> {3}")
    @MethodSource("malformedIdentifiers")
    void rejectsAMalformedTaxNumberOrUscc(String uscc, String organisationCode, String taxNumber, String code,
            String badValue) {
        assertSingleRejection(formFindings(application(uscc, organisationCode, taxNumber)), code, badValue);
    }

    static Stream<Arguments> disagreeingIdentifiers() {
        return Stream.of(
                Arguments.of(null, "M000100Y-4", "350100D2143569X", "TAX_NUMBER_AND_ORGANISATION_CODE_DISAGREE"),
                Arguments.of(null, "D2143569-X", "350100M000100Y4", "TAX_NUMBER_AND_ORGANISATION_CODE_DISAGREE"),
                // With an organisation code on the form the tax number is compared with it, not with the USCC.
                Arguments.of("91350100M000100Y43", "M000100Y-4", "350100D2143569X", "TAX_NUMBER_AND_ORGANISATION_CODE_DISAGREE"),
                Arguments.of("91350100M000100Y43", null, "350100D2143569X", "TAX_NUMBER_AND_USCC_DISAGREE"),
                // An organisation code with a wrong check character is no yardstick: the USCC is.
                Arguments.of("91350100M000100Y43", "M000100Y-5", "350100D2143569X", "TAX_NUMBER_AND_USCC_DISAGREE"));
    }

    @ParameterizedTest(name = "uscc {0}, organisation code {1}, tax number {2} -> {3}")
    @MethodSource("disagreeingIdentifiers")
    void rejectsATaxNumberThatNamesAnotherOrganisation(String uscc, String organisationCode, String taxNumber, String code) {
        List<Finding> findings = formFindings(application(uscc, organisationCode, taxNumber));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo(code);
            assertThat(finding.reason().zh()).contains("税务登记号后9位");
            assertThat(finding.reason().en()).containsIgnoringCase("the last nine characters of the tax registration number");
        });
    }

    @Test
    void reportsEveryBadNumberAndDoesNotCompareThemWithEachOther() {
        List<Finding> findings = formFindings(application("91350100M000100Y44", "M000100Y-4", "350100D21435691"));

        assertThat(findings).extracting(f -> f.reason().code()).containsExactly(
                "TAX_REGISTRATION_NUMBER_CHECK_CHARACTER", "TAX_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER");
        assertThat(findings).allSatisfy(f -> assertThat(f.effect()).isEqualTo(Finding.Effect.REJECT));
    }

    @Test
    void rejectsAnApplicationWithNeitherTaxNumberNorUsccEvenWithAnOrganisationCode() {
        List<Finding> findings = formFindings(application(null, "M000100Y-4", null));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("TAX_REGISTRATION_NUMBER_MISSING");
            assertThat(finding.reason().zh()).contains("税务登记号");
            assertThat(finding.reason().en()).contains("tax registration number");
        });
    }

    /** A form the rules judge on its face: they ask the registry nothing and need no facts to decide. */
    private List<Finding> formFindings(ApplicationSubmitted application) {
        assertThat(rules.registryQueries(application)).isEmpty();
        return rules.check(application, RegistryFacts.NONE, TODAY);
    }

    private static RegistryFacts facts(Optional<RegistryRecord> registration) {
        return new RegistryFacts(Map.of("taxRegistration", registration));
    }

    private static Optional<RegistryRecord> found(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return Optional.of(new RegistryRecord("91350100M000100Y43", holderName, status, validUntil, null));
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

    /** The sample application with the identifiers this agency reads; the business registration number is absent. */
    private static ApplicationSubmitted application(String uscc, String organisationCode, String taxNumber) {
        Enterprise enterprise = new Enterprise(NAME, EnterpriseType.DOMESTIC, uscc, organisationCode,
                null, taxNumber, "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明", "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000011",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
