package cn.eport.commercecheck;

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

class CommerceRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)E港进出口贸易有限公司";

    private final CommerceRules rules = new CommerceRules();

    static Stream<Arguments> wellFormedLicenceNumbers() {
        return Stream.of(
                // both, as a licence of 2015 may print them: it is filed under the USCC
                Arguments.of("91350100M000100Y43", "110108000000016", "91350100M000100Y43"),
                Arguments.of("91350100M000100Y43", null, "91350100M000100Y43"), // since 2015 the USCC alone
                Arguments.of(null, "110108000000016", "110108000000016"));      // a legacy licence: the GS 15-2006 example alone
    }

    @ParameterizedTest(name = "uscc {0}, business registration number {1} -> business-licences/{2}")
    @MethodSource("wellFormedLicenceNumbers")
    void asksTheRegistryForTheLicenceFiledUnderTheUsccOrElseTheBusinessRegistrationNumber(String uscc,
            String businessRegistrationNumber, String filedUnder) {
        assertThat(rules.registryQueries(application(uscc, businessRegistrationNumber)))
                .containsExactly(new RegistryQuery("businessLicence", "business-licences", filedUnder));
    }

    @ParameterizedTest(name = "uscc {0}, business registration number {1}")
    @MethodSource("wellFormedLicenceNumbers")
    void approvesAWellFormedBusinessRegistrationNumberOrUsccWhenTheRegistryHoldsTheLicence(String uscc,
            String businessRegistrationNumber, String filedUnder) {
        assertThat(rules.check(application(uscc, businessRegistrationNumber), facts(found(VALID, TODAY.plusYears(2), NAME)),
                TODAY)).isEmpty();
    }

    static Stream<Arguments> registryAnswers() {
        return Stream.of(
                Arguments.of("in force, in the name on the form", found(VALID, TODAY.plusYears(2), NAME), List.of()),
                Arguments.of("in force, no expiry date", found(VALID, null, NAME), List.of()),
                Arguments.of("not on the register", Optional.empty(), List.of("REJECT COMMERCE_BUSINESS_LICENCE_NOT_REGISTERED")),
                Arguments.of("revoked", found(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT COMMERCE_BUSINESS_LICENCE_REVOKED")),
                Arguments.of("suspended", found(SUSPENDED, TODAY.plusYears(2), NAME),
                        List.of("REJECT COMMERCE_BUSINESS_LICENCE_SUSPENDED")),
                Arguments.of("status unknown", found(UNKNOWN, TODAY.plusYears(2), NAME),
                        List.of("REFER COMMERCE_BUSINESS_LICENCE_STATUS_UNKNOWN")),
                Arguments.of("expired yesterday", found(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT COMMERCE_BUSINESS_LICENCE_EXPIRED")),
                Arguments.of("expiring in 10 days", found(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER COMMERCE_BUSINESS_LICENCE_EXPIRING")),
                Arguments.of("expiring in 40 days", found(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of("in another name", found(VALID, TODAY.plusYears(2), "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER COMMERCE_BUSINESS_LICENCE_NAME_MISMATCH")),
                Arguments.of("the same name in full-width brackets, letter and space",
                        found(VALID, TODAY.plusYears(2), "榕城（福州）Ｅ港进出口贸易　有限公司"), List.of()),
                Arguments.of("the same name in square brackets, lower case",
                        found(VALID, TODAY.plusYears(2), "榕城【福州】e港 进出口贸易有限公司"), List.of()));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("registryAnswers")
    void decidesOnWhatTheRegistryHoldsAboutTheLicence(String answer, Optional<RegistryRecord> record, List<String> expected) {
        List<Finding> findings = rules.check(application("91350100M000100Y43", "110108000000016"), facts(record), TODAY);

        assertThat(findings).extracting(CommerceRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    @Test
    void quotesTheNumberTheLicenceIsFiledUnder() {
        List<Finding> findings = rules.check(application(null, "110108000000016"), facts(Optional.empty()), TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains("营业执照", "110108000000016");
            assertThat(finding.reason().en()).contains("business licence", "110108000000016");
        });
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
        assertSingleRejection(formFindings(application(uscc, businessRegistrationNumber)), code, badValue);
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
        assertSingleRejection(formFindings(application(uscc, businessRegistrationNumber)), code, badValue);
    }

    @Test
    void reportsBothNumbersWhenBothAreWrong() {
        List<Finding> findings = formFindings(application("91350100M000100Y44", "110108000000017"));

        assertThat(findings).extracting(f -> f.reason().code()).containsExactly(
                "COMMERCE_BUSINESS_REGISTRATION_NUMBER_CHECK_CHARACTER", "COMMERCE_UNIFIED_SOCIAL_CREDIT_CODE_CHECK_CHARACTER");
        assertThat(findings).allSatisfy(f -> assertThat(f.effect()).isEqualTo(Finding.Effect.REJECT));
    }

    @Test
    void rejectsAnApplicationWithNeitherBusinessRegistrationNumberNorUscc() {
        List<Finding> findings = formFindings(application(null, null));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("COMMERCE_BUSINESS_REGISTRATION_NUMBER_MISSING");
            assertThat(finding.reason().zh()).contains("工商注册号");
            assertThat(finding.reason().en()).contains("business registration number");
        });
    }

    /** A form the rules judge on its face: they ask the registry nothing and need no facts to decide. */
    private List<Finding> formFindings(ApplicationSubmitted application) {
        assertThat(rules.registryQueries(application)).isEmpty();
        return rules.check(application, RegistryFacts.NONE, TODAY);
    }

    private static RegistryFacts facts(Optional<RegistryRecord> licence) {
        return new RegistryFacts(Map.of("businessLicence", licence));
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

    /** The sample application with the numbers this agency reads; the organisation code and tax number are absent. */
    private static ApplicationSubmitted application(String uscc, String businessRegistrationNumber) {
        Enterprise enterprise = new Enterprise(NAME, EnterpriseType.DOMESTIC, uscc, null,
                businessRegistrationNumber, null, "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明", "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000011",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
