package cn.eport.customscheck;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CustomsRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)E港进出口贸易有限公司";
    private static final String CUSTOMS_CODE = "3501910123";
    private static final CardHolder CHEN_JING = new CardHolder("陈静", "350***********0011", "BG35010001");
    private static final CardHolder WANG_LEI = new CardHolder("王磊", "350***********0152", "BG35010002");

    private final CustomsRules rules = new CustomsRules();

    static Stream<Arguments> registeredWithBrokers() {
        return Stream.of(
                Arguments.of("3501910123", List.of(CHEN_JING), List.of(
                        new RegistryQuery("declarationUnit", "declaration-units", "3501910123"),
                        new RegistryQuery("brokerCertificate:BG35010001", "broker-certificates", "BG35010001"))),
                Arguments.of("350191A01B", List.of(CHEN_JING, WANG_LEI), List.of( // the sequence may hold capital letters
                        new RegistryQuery("declarationUnit", "declaration-units", "350191A01B"),
                        new RegistryQuery("brokerCertificate:BG35010001", "broker-certificates", "BG35010001"),
                        new RegistryQuery("brokerCertificate:BG35010002", "broker-certificates", "BG35010002"))));
    }

    @ParameterizedTest(name = "customs registration code {0}, operators {1}")
    @MethodSource("registeredWithBrokers")
    void asksTheRegistryForTheDeclarationUnitAndEveryOperatorsBrokerCertificate(String customsCode, List<CardHolder> operators,
            List<RegistryQuery> queries) {
        // The legal representative of the fixture holds no broker certificate, needs none and is not looked up.
        assertThat(rules.registryQueries(application(customsCode, operators))).containsExactlyElementsOf(queries);
    }

    @ParameterizedTest(name = "customs registration code {0}, operators {1}")
    @MethodSource("registeredWithBrokers")
    void approvesAWellFormedRegistrationCodeAndOperatorsWhoAllHoldBrokerCertificates(String customsCode,
            List<CardHolder> operators, List<RegistryQuery> queries) {
        Map<String, Optional<RegistryRecord>> answers = new LinkedHashMap<>();
        answers.put("declarationUnit", found(customsCode, VALID, TODAY.plusYears(2), NAME));
        operators.forEach(operator -> answers.put("brokerCertificate:" + operator.customsBrokerCertificate(),
                found(operator.customsBrokerCertificate(), VALID, TODAY.plusYears(2), operator.name())));

        assertThat(rules.check(application(customsCode, operators), new RegistryFacts(answers), TODAY)).isEmpty();
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
        List<Finding> findings = formFindings(application(customsCode, List.of(CHEN_JING)));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("CUSTOMS_REGISTRATION_CODE_MALFORMED");
            assertThat(finding.reason().zh()).isNotBlank().contains(customsCode);
            assertThat(finding.reason().en()).isNotBlank().contains(customsCode);
        });
    }

    @Test
    void rejectsAnApplicationWithoutACustomsRegistrationCode() {
        List<Finding> findings = formFindings(application(null, List.of(CHEN_JING)));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo("CUSTOMS_REGISTRATION_CODE_MISSING");
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
        List<Finding> findings = formFindings(application("3501910123", operators));

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
        List<Finding> findings = formFindings(application(null, List.of(new CardHolder("陈静", "350***********0011", null))));

        assertThat(findings).extracting(f -> f.reason().code())
                .containsExactly("CUSTOMS_REGISTRATION_CODE_MISSING", "CUSTOMS_OPERATOR_WITHOUT_BROKER_CERTIFICATE");
    }

    static Stream<Arguments> declarationUnitAnswers() {
        return Stream.of(
                Arguments.of("in force, in the name on the form", unit(VALID, TODAY.plusYears(2), NAME), List.of()),
                Arguments.of("in force, no expiry date", unit(VALID, null, NAME), List.of()),
                Arguments.of("not on the register", Optional.empty(),
                        List.of("REJECT CUSTOMS_DECLARATION_UNIT_REGISTRATION_NOT_REGISTERED")),
                Arguments.of("revoked", unit(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT CUSTOMS_DECLARATION_UNIT_REGISTRATION_REVOKED")),
                Arguments.of("suspended", unit(SUSPENDED, TODAY.plusYears(2), NAME),
                        List.of("REJECT CUSTOMS_DECLARATION_UNIT_REGISTRATION_SUSPENDED")),
                Arguments.of("status unknown", unit(UNKNOWN, TODAY.plusYears(2), NAME),
                        List.of("REFER CUSTOMS_DECLARATION_UNIT_REGISTRATION_STATUS_UNKNOWN")),
                Arguments.of("expired yesterday", unit(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT CUSTOMS_DECLARATION_UNIT_REGISTRATION_EXPIRED")),
                Arguments.of("expiring in 10 days", unit(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER CUSTOMS_DECLARATION_UNIT_REGISTRATION_EXPIRING")),
                Arguments.of("expiring in 40 days", unit(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of("in another name", unit(VALID, TODAY.plusYears(2), "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER CUSTOMS_DECLARATION_UNIT_REGISTRATION_NAME_MISMATCH")),
                Arguments.of("the same name in full-width brackets, letter and space",
                        unit(VALID, TODAY.plusYears(2), "榕城（福州）Ｅ港进出口贸易　有限公司"), List.of()),
                Arguments.of("the same name in square brackets, lower case",
                        unit(VALID, TODAY.plusYears(2), "榕城【福州】e港 进出口贸易有限公司"), List.of()));
    }

    @ParameterizedTest(name = "declaration unit {0} -> {2}")
    @MethodSource("declarationUnitAnswers")
    void decidesOnWhatTheRegistryHoldsAboutTheDeclarationUnit(String answer, Optional<RegistryRecord> unit,
            List<String> expected) {
        List<Finding> findings = rules.check(application(CUSTOMS_CODE, List.of(CHEN_JING, WANG_LEI)),
                facts(unit, chenJings(VALID, TODAY.plusYears(2), "陈静"), wangLeis(VALID, TODAY.plusYears(2), "王磊")), TODAY);

        assertThat(findings).extracting(CustomsRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> brokerCertificateAnswers() {
        Optional<RegistryRecord> unit = unit(VALID, TODAY.plusYears(2), NAME);
        Optional<RegistryRecord> chenJings = chenJings(VALID, TODAY.plusYears(2), "陈静");
        return Stream.of(
                Arguments.of("Wang Lei's not on the register", unit, chenJings, Optional.empty(),
                        List.of("REJECT CUSTOMS_BROKER_CERTIFICATE_NOT_REGISTERED")),
                Arguments.of("Wang Lei's revoked", unit, chenJings, wangLeis(REVOKED, TODAY.plusYears(2), "王磊"),
                        List.of("REJECT CUSTOMS_BROKER_CERTIFICATE_REVOKED")),
                Arguments.of("Wang Lei's suspended", unit, chenJings, wangLeis(SUSPENDED, TODAY.plusYears(2), "王磊"),
                        List.of("REJECT CUSTOMS_BROKER_CERTIFICATE_SUSPENDED")),
                Arguments.of("Wang Lei's status unknown", unit, chenJings, wangLeis(UNKNOWN, TODAY.plusYears(2), "王磊"),
                        List.of("REFER CUSTOMS_BROKER_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of("Wang Lei's expired yesterday", unit, chenJings, wangLeis(VALID, TODAY.minusDays(1), "王磊"),
                        List.of("REJECT CUSTOMS_BROKER_CERTIFICATE_EXPIRED")),
                Arguments.of("Wang Lei's expiring in 10 days", unit, chenJings, wangLeis(VALID, TODAY.plusDays(10), "王磊"),
                        List.of("REFER CUSTOMS_BROKER_CERTIFICATE_EXPIRING")),
                Arguments.of("Wang Lei's expiring in 40 days", unit, chenJings, wangLeis(VALID, TODAY.plusDays(40), "王磊"),
                        List.of()),
                // The holder of a broker certificate is the operator, not the enterprise.
                Arguments.of("Wang Lei's held by the enterprise", unit, chenJings, wangLeis(VALID, TODAY.plusYears(2), NAME),
                        List.of("REFER CUSTOMS_BROKER_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of("Wang Lei's held by another person", unit, chenJings, wangLeis(VALID, TODAY.plusYears(2), "王蕾"),
                        List.of("REFER CUSTOMS_BROKER_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of("Wang Lei's name with an ideographic space", unit, chenJings,
                        wangLeis(VALID, TODAY.plusYears(2), "王　磊"), List.of()),
                // Every certificate is judged, the unit's first, then each operator's in the order of Form 2.
                Arguments.of("Chen Jing's expired and Wang Lei's suspended", unit, chenJings(VALID, TODAY.minusDays(1), "陈静"),
                        wangLeis(SUSPENDED, null, "王磊"),
                        List.of("REJECT CUSTOMS_BROKER_CERTIFICATE_EXPIRED", "REJECT CUSTOMS_BROKER_CERTIFICATE_SUSPENDED")),
                Arguments.of("the unit's revoked and Chen Jing's unknown", unit(REVOKED, null, NAME),
                        chenJings(UNKNOWN, null, "陈静"), wangLeis(VALID, null, "王磊"),
                        List.of("REJECT CUSTOMS_DECLARATION_UNIT_REGISTRATION_REVOKED",
                                "REFER CUSTOMS_BROKER_CERTIFICATE_STATUS_UNKNOWN")));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("brokerCertificateAnswers")
    void decidesOnWhatTheRegistryHoldsAboutEveryOperatorsBrokerCertificate(String answer, Optional<RegistryRecord> unit,
            Optional<RegistryRecord> chenJings, Optional<RegistryRecord> wangLeis, List<String> expected) {
        List<Finding> findings = rules.check(application(CUSTOMS_CODE, List.of(CHEN_JING, WANG_LEI)),
                facts(unit, chenJings, wangLeis), TODAY);

        assertThat(findings).extracting(CustomsRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    @Test
    void rejectsAnOperatorsRevokedBrokerCertificateNamingThatCertificate() {
        List<Finding> findings = rules.check(application(CUSTOMS_CODE, List.of(CHEN_JING, WANG_LEI)),
                facts(unit(VALID, null, NAME), chenJings(VALID, null, "陈静"), wangLeis(REVOKED, null, "王磊")), TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(effectAndCode(finding)).isEqualTo("REJECT CUSTOMS_BROKER_CERTIFICATE_REVOKED");
            assertThat(finding.reason().zh()).contains("报关员证", "BG35010002").doesNotContain("BG35010001");
            assertThat(finding.reason().en()).contains("customs broker certificate", "BG35010002").doesNotContain("BG35010001");
        });
    }

    @Test
    void asksOnceForACertificateTwoOperatorsShareAndReferTheOneItDoesNotName() {
        CardHolder wangLeiWithChenJingsCertificate = new CardHolder("王磊", "350***********0152", "BG35010001");
        ApplicationSubmitted application = application(CUSTOMS_CODE, List.of(CHEN_JING, wangLeiWithChenJingsCertificate));

        assertThat(rules.registryQueries(application)).containsExactly(
                new RegistryQuery("declarationUnit", "declaration-units", CUSTOMS_CODE),
                new RegistryQuery("brokerCertificate:BG35010001", "broker-certificates", "BG35010001"));

        Map<String, Optional<RegistryRecord>> answers = new LinkedHashMap<>();
        answers.put("declarationUnit", unit(VALID, null, NAME));
        answers.put("brokerCertificate:BG35010001", chenJings(VALID, null, "陈静"));
        assertThat(rules.check(application, new RegistryFacts(answers), TODAY)).singleElement().satisfies(finding -> {
            assertThat(effectAndCode(finding)).isEqualTo("REFER CUSTOMS_BROKER_CERTIFICATE_NAME_MISMATCH");
            assertThat(finding.reason().zh()).contains("BG35010001", "陈静", "王磊");
        });
    }

    /** A form the rules judge on its face: they ask the registry nothing and need no facts to decide. */
    private List<Finding> formFindings(ApplicationSubmitted application) {
        assertThat(rules.registryQueries(application)).isEmpty();
        return rules.check(application, RegistryFacts.NONE, TODAY);
    }

    /** The registry's answers for the unit {@link #CUSTOMS_CODE} and the certificates of Chen Jing and Wang Lei. */
    private static RegistryFacts facts(Optional<RegistryRecord> unit, Optional<RegistryRecord> chenJings,
            Optional<RegistryRecord> wangLeis) {
        return new RegistryFacts(Map.of("declarationUnit", unit, "brokerCertificate:BG35010001", chenJings,
                "brokerCertificate:BG35010002", wangLeis));
    }

    private static Optional<RegistryRecord> unit(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return found(CUSTOMS_CODE, status, validUntil, holderName);
    }

    private static Optional<RegistryRecord> chenJings(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return found("BG35010001", status, validUntil, holderName);
    }

    private static Optional<RegistryRecord> wangLeis(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return found("BG35010002", status, validUntil, holderName);
    }

    private static Optional<RegistryRecord> found(String number, RegistryRecord.Status status, LocalDate validUntil,
            String holderName) {
        return Optional.of(new RegistryRecord(number, holderName, status, validUntil, null));
    }

    private static String effectAndCode(Finding finding) {
        return finding.effect() + " " + finding.reason().code();
    }

    /** The sample application with the given customs registration code and operators. */
    private static ApplicationSubmitted application(String customsRegistrationCode, List<CardHolder> operators) {
        Enterprise enterprise = new Enterprise(NAME, EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                "110108000000016", "350100M000100Y4", customsRegistrationCode, "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
                "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000011",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null), operators);
    }
}
