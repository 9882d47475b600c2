package cn.eport.tradecheck;

import static cn.eport.agencycheck.RegistryRecord.Status.REVOKED;
import static cn.eport.agencycheck.RegistryRecord.Status.SUSPENDED;
import static cn.eport.agencycheck.RegistryRecord.Status.UNKNOWN;
import static cn.eport.agencycheck.RegistryRecord.Status.VALID;
import static cn.eport.contracts.EnterpriseType.DOMESTIC;
import static cn.eport.contracts.EnterpriseType.FOREIGN_INVESTED;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TradeRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)E港进出口贸易有限公司";
    private static final String QUALIFICATION_NUMBER = "ZMQ-2001-0001";
    private static final String APPROVAL_NUMBER = "外经贸闽府榕字[2001]0001号";
    /** The registry's kinds of certificate. */
    private static final String QUALIFICATION = "IMPORT_EXPORT_QUALIFICATION";
    private static final String APPROVAL = "FIE_APPROVAL";

    private final TradeRules rules = new TradeRules();

    static Stream<Arguments> certificatesGiven() {
        return Stream.of(
                Arguments.of(DOMESTIC, QUALIFICATION_NUMBER, QUALIFICATION),
                Arguments.of(FOREIGN_INVESTED, APPROVAL_NUMBER, APPROVAL));
    }

    @ParameterizedTest(name = "{0} with certificate {1} -> trade-certificates/{1}")
    @MethodSource("certificatesGiven")
    void asksTheRegistryForTheCertificateByItsNumber(EnterpriseType type, String certificate, String kind) {
        assertThat(rules.registryQueries(application(type, certificate)))
                .containsExactly(new RegistryQuery("tradeCertificate", "trade-certificates", certificate));
    }

    @ParameterizedTest(name = "{0} with certificate {1} of kind {2}")
    @MethodSource("certificatesGiven")
    void approvesAnEnterpriseWhoseCertificateTheRegistryHoldsAsTheKindItsTypeRequires(EnterpriseType type, String certificate,
            String kind) {
        assertThat(rules.check(application(type, certificate), facts(found(certificate, kind, VALID, TODAY.plusYears(2), NAME)),
                TODAY)).isEmpty();
    }

    static Stream<Arguments> certificatesMissing() {
        return Stream.of(
                Arguments.of(DOMESTIC, null, "TRADE_QUALIFICATION_CERTIFICATE_MISSING",
                        "进出口企业资格证书", "import/export enterprise qualification certificate"),
                Arguments.of(DOMESTIC, "  ", "TRADE_QUALIFICATION_CERTIFICATE_MISSING",
                        "进出口企业资格证书", "import/export enterprise qualification certificate"),
                Arguments.of(FOREIGN_INVESTED, null, "TRADE_FIE_APPROVAL_CERTIFICATE_MISSING",
                        "外商投资企业批准证书", "foreign-invested enterprise approval certificate"),
                Arguments.of(FOREIGN_INVESTED, "", "TRADE_FIE_APPROVAL_CERTIFICATE_MISSING",
                        "外商投资企业批准证书", "foreign-invested enterprise approval certificate"));
    }

    @ParameterizedTest(name = "{0} with certificate [{1}] -> {2}")
    @MethodSource("certificatesMissing")
    void rejectsAnEnterpriseWithoutTheCertificateItsTypeRequires(EnterpriseType type, String certificate, String code,
            String zhDocument, String enDocument) {
        List<Finding> findings = formFindings(application(type, certificate));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo(code);
            assertThat(finding.reason().zh()).isNotBlank().contains(zhDocument);
            assertThat(finding.reason().en()).isNotBlank().contains(enDocument);
        });
    }

    static Stream<Arguments> registryAnswers() {
        return Stream.of(
                Arguments.of(DOMESTIC, "in force, in the name on the form", qualification(VALID, TODAY.plusYears(2), NAME),
                        List.of()),
                Arguments.of(DOMESTIC, "in force, no expiry date", qualification(VALID, null, NAME), List.of()),
                Arguments.of(DOMESTIC, "not on the register", Optional.empty(),
                        List.of("REJECT TRADE_QUALIFICATION_CERTIFICATE_NOT_REGISTERED")),
                Arguments.of(DOMESTIC, "revoked", qualification(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_QUALIFICATION_CERTIFICATE_REVOKED")),
                Arguments.of(DOMESTIC, "suspended", qualification(SUSPENDED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_QUALIFICATION_CERTIFICATE_SUSPENDED")),
                Arguments.of(DOMESTIC, "status unknown", qualification(UNKNOWN, TODAY.plusYears(2), NAME),
                        List.of("REFER TRADE_QUALIFICATION_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of(DOMESTIC, "expired yesterday", qualification(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT TRADE_QUALIFICATION_CERTIFICATE_EXPIRED")),
                Arguments.of(DOMESTIC, "expiring in 10 days", qualification(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER TRADE_QUALIFICATION_CERTIFICATE_EXPIRING")),
                Arguments.of(DOMESTIC, "expiring in 40 days", qualification(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of(DOMESTIC, "in another name",
                        qualification(VALID, TODAY.plusYears(2), "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER TRADE_QUALIFICATION_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of(DOMESTIC, "the same name in full-width brackets, letter and space",
                        qualification(VALID, TODAY.plusYears(2), "榕城（福州）Ｅ港进出口贸易　有限公司"), List.of()),
                Arguments.of(DOMESTIC, "the same name in square brackets, lower case",
                        qualification(VALID, TODAY.plusYears(2), "榕城【福州】e港 进出口贸易有限公司"), List.of()),
                Arguments.of(DOMESTIC, "a foreign-invested enterprise approval", approval(VALID, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_WRONG_CERTIFICATE_KIND")),
                // The kind decides first: a certificate of the wrong kind is not also reported revoked.
                Arguments.of(DOMESTIC, "a revoked foreign-invested enterprise approval",
                        approval(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_WRONG_CERTIFICATE_KIND")),
                Arguments.of(FOREIGN_INVESTED, "in force, in the name on the form", approval(VALID, TODAY.plusYears(2), NAME),
                        List.of()),
                Arguments.of(FOREIGN_INVESTED, "not on the register", Optional.empty(),
                        List.of("REJECT TRADE_FIE_APPROVAL_CERTIFICATE_NOT_REGISTERED")),
                Arguments.of(FOREIGN_INVESTED, "revoked", approval(REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_FIE_APPROVAL_CERTIFICATE_REVOKED")),
                Arguments.of(FOREIGN_INVESTED, "suspended", approval(SUSPENDED, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_FIE_APPROVAL_CERTIFICATE_SUSPENDED")),
                Arguments.of(FOREIGN_INVESTED, "status unknown", approval(UNKNOWN, TODAY.plusYears(2), NAME),
                        List.of("REFER TRADE_FIE_APPROVAL_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of(FOREIGN_INVESTED, "expired yesterday", approval(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT TRADE_FIE_APPROVAL_CERTIFICATE_EXPIRED")),
                Arguments.of(FOREIGN_INVESTED, "expiring in 10 days", approval(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER TRADE_FIE_APPROVAL_CERTIFICATE_EXPIRING")),
                Arguments.of(FOREIGN_INVESTED, "expiring in 40 days", approval(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of(FOREIGN_INVESTED, "in another name",
                        approval(VALID, TODAY.plusYears(2), "榕城(厦门)E港进出口贸易有限公司"),
                        List.of("REFER TRADE_FIE_APPROVAL_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of(FOREIGN_INVESTED, "an import/export qualification", qualification(VALID, TODAY.plusYears(2), NAME),
                        List.of("REJECT TRADE_WRONG_CERTIFICATE_KIND")),
                // A register that does not say the kind: only a reviewer can tell, whatever else the record says.
                Arguments.of(DOMESTIC, "a record of no kind", found(QUALIFICATION_NUMBER, null, VALID, TODAY.plusYears(2), NAME),
                        List.of("REFER TRADE_CERTIFICATE_KIND_UNKNOWN")),
                Arguments.of(FOREIGN_INVESTED, "a revoked record of no kind", found(APPROVAL_NUMBER, null, REVOKED, TODAY.plusYears(2), NAME),
                        List.of("REFER TRADE_CERTIFICATE_KIND_UNKNOWN")));
    }

    @ParameterizedTest(name = "{0}, certificate {1} -> {3}")
    @MethodSource("registryAnswers")
    void decidesOnWhatTheRegistryHoldsAboutTheCertificate(EnterpriseType type, String answer, Optional<RegistryRecord> record,
            List<String> expected) {
        String number = type == FOREIGN_INVESTED ? APPROVAL_NUMBER : QUALIFICATION_NUMBER;

        List<Finding> findings = rules.check(application(type, number), facts(record), TODAY);

        assertThat(findings).extracting(TradeRulesTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> certificatesOfTheWrongKind() {
        return Stream.of(
                Arguments.of(DOMESTIC, QUALIFICATION_NUMBER, APPROVAL,
                        "进出口企业资格证书", "import/export enterprise qualification certificate"),
                Arguments.of(FOREIGN_INVESTED, APPROVAL_NUMBER, QUALIFICATION,
                        "外商投资企业批准证书", "foreign-invested enterprise approval certificate"));
    }

    @ParameterizedTest(name = "{0} whose certificate {1} is filed as {2}")
    @MethodSource("certificatesOfTheWrongKind")
    void rejectsACertificateOfTheWrongKindNamingTheOneTheEnterpriseNeeds(EnterpriseType type, String certificate,
            String kindOnFile, String zhNeeded, String enNeeded) {
        List<Finding> findings = rules.check(application(type, certificate),
                facts(found(certificate, kindOnFile, VALID, TODAY.plusYears(2), NAME)), TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(effectAndCode(finding)).isEqualTo("REJECT TRADE_WRONG_CERTIFICATE_KIND");
            assertThat(finding.reason().zh()).contains(certificate, zhNeeded);
            assertThat(finding.reason().en()).contains(certificate, enNeeded);
        });
    }

    /** A form the rules judge on its face: they ask the registry nothing and need no facts to decide. */
    private List<Finding> formFindings(ApplicationSubmitted application) {
        assertThat(rules.registryQueries(application)).isEmpty();
        return rules.check(application, RegistryFacts.NONE, TODAY);
    }

    private static RegistryFacts facts(Optional<RegistryRecord> certificate) {
        return new RegistryFacts(Map.of("tradeCertificate", certificate));
    }

    private static Optional<RegistryRecord> qualification(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return found(QUALIFICATION_NUMBER, QUALIFICATION, status, validUntil, holderName);
    }

    private static Optional<RegistryRecord> approval(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return found(APPROVAL_NUMBER, APPROVAL, status, validUntil, holderName);
    }

    private static Optional<RegistryRecord> found(String number, String kind, RegistryRecord.Status status, LocalDate validUntil,
            String holderName) {
        return Optional.of(new RegistryRecord(number, holderName, status, validUntil, kind));
    }

    private static String effectAndCode(Finding finding) {
        return finding.effect() + " " + finding.reason().code();
    }

    /** The sample application of an enterprise of the given type, naming the given certificate. */
    private static ApplicationSubmitted application(EnterpriseType type, String tradeCertificateNumber) {
        Enterprise enterprise = new Enterprise(NAME, type, "91350100M000100Y43", "M000100Y-4",
                "110108000000016", "350100M000100Y4", "3501910123", tradeCertificateNumber, "福州市鼓楼区五四路1号", "林晓明",
                "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000011",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
