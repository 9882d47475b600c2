package cn.eport.agencycheck;

import static cn.eport.agencycheck.RegistryRecord.Status.REVOKED;
import static cn.eport.agencycheck.RegistryRecord.Status.SUSPENDED;
import static cn.eport.agencycheck.RegistryRecord.Status.UNKNOWN;
import static cn.eport.agencycheck.RegistryRecord.Status.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CertificateFindingsTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final String NAME = "榕城(福州)进出口贸易有限公司";
    private static final String NUMBER = "M000100Y-4";
    private static final CertificateFindings.Document DOCUMENT =
            new CertificateFindings.Document("ORGANISATION_CODE_CERTIFICATE", "组织机构代码证", "organisation code certificate");

    static Stream<Arguments> registryAnswers() {
        return Stream.of(
                Arguments.of("in force for years, in the name on the form", found(VALID, TODAY.plusYears(3), NAME), List.of()),
                Arguments.of("in force with no expiry date", found(VALID, null, NAME), List.of()),
                Arguments.of("not on the register", Optional.empty(),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_NOT_REGISTERED")),
                Arguments.of("revoked", found(REVOKED, TODAY.plusYears(3), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_REVOKED")),
                // The status decides first: a revoked certificate is not also reported expired or misnamed.
                Arguments.of("revoked, expired and in another name", found(REVOKED, TODAY.minusYears(1), "闽江贸易有限公司"),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_REVOKED")),
                Arguments.of("suspended", found(SUSPENDED, TODAY.plusYears(3), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_SUSPENDED")),
                Arguments.of("status unknown", found(UNKNOWN, TODAY.plusYears(3), NAME),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of("status unknown, in another name", found(UNKNOWN, null, "闽江贸易有限公司"),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_STATUS_UNKNOWN")),
                Arguments.of("expired a year ago", found(VALID, TODAY.minusYears(1), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRED")),
                Arguments.of("expired yesterday", found(VALID, TODAY.minusDays(1), NAME),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRED")),
                // Valid until today is still valid, but expiring.
                Arguments.of("valid until today", found(VALID, TODAY, NAME),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRING")),
                Arguments.of("valid for 10 more days", found(VALID, TODAY.plusDays(10), NAME),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRING")),
                Arguments.of("valid for 29 more days", found(VALID, TODAY.plusDays(29), NAME),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRING")),
                Arguments.of("valid for 30 more days", found(VALID, TODAY.plusDays(30), NAME), List.of()),
                Arguments.of("valid for 40 more days", found(VALID, TODAY.plusDays(40), NAME), List.of()),
                Arguments.of("in another name", found(VALID, TODAY.plusYears(3), "榕城(厦门)进出口贸易有限公司"),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_NAME_MISMATCH")),
                Arguments.of("in the same name written with full-width brackets and spaces",
                        found(VALID, TODAY.plusYears(3), "榕城（福州）进出口贸易　有限公司"), List.of()),
                Arguments.of("in the same name written with square brackets",
                        found(VALID, TODAY.plusYears(3), "榕城【福州】进出口贸易有限公司"), List.of()),
                // A reviewer sees every question at once.
                Arguments.of("expiring and in another name", found(VALID, TODAY.plusDays(10), "闽江贸易有限公司"),
                        List.of("REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRING",
                                "REFER QUALITY_ORGANISATION_CODE_CERTIFICATE_NAME_MISMATCH")),
                // An expired certificate is rejected whatever its name.
                Arguments.of("expired and in another name", found(VALID, TODAY.minusDays(1), "闽江贸易有限公司"),
                        List.of("REJECT QUALITY_ORGANISATION_CODE_CERTIFICATE_EXPIRED")));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("registryAnswers")
    void concludesFromTheRegistrysRecordOfTheCertificate(String answer, Optional<RegistryRecord> record, List<String> expected) {
        assertThat(findings(record)).extracting(CertificateFindingsTest::effectAndCode).containsExactlyElementsOf(expected);
    }

    @Test
    void saysWhereToRegisterACertificateThatIsNotOnTheRegister() {
        assertThat(findings(Optional.empty())).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains("组织机构代码证", NUMBER, "质量技术监督局");
            assertThat(finding.reason().en()).contains("organisation code certificate", NUMBER,
                    "Quality and Technical Supervision Bureau");
        });
    }

    @Test
    void quotesTheDateOfAnExpiredCertificate() {
        assertThat(findings(found(VALID, LocalDate.of(2026, 11, 26), NAME))).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains(NUMBER, "2026-11-26");
            assertThat(finding.reason().en()).contains(NUMBER, "2026-11-26");
        });
    }

    @Test
    void quotesTheDateOfAnExpiringCertificateAndTheWindow() {
        assertThat(findings(found(VALID, LocalDate.of(2026, 12, 7), NAME))).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains(NUMBER, "2026-12-07", "30");
            assertThat(finding.reason().en()).contains(NUMBER, "2026-12-07", "30 days");
        });
    }

    @Test
    void quotesBothNamesWhenTheyDiffer() {
        assertThat(findings(found(VALID, null, "闽江贸易有限公司"))).singleElement().satisfies(finding -> {
            assertThat(finding.reason().zh()).contains(NUMBER, "闽江贸易有限公司", NAME);
            assertThat(finding.reason().en()).contains(NUMBER, "闽江贸易有限公司", NAME);
        });
    }

    @Test
    void namesEachCodeForTheAgencyAndTheDocument() {
        CertificateFindings.Document broker =
                new CertificateFindings.Document("BROKER_CERTIFICATE", "报关员证", "customs broker certificate");

        List<Finding> findings = CertificateFindings.of(Agency.CUSTOMS, broker, "BG35010002",
                found(REVOKED, null, "王磊"), "王磊", TODAY);

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(effectAndCode(finding)).isEqualTo("REJECT CUSTOMS_BROKER_CERTIFICATE_REVOKED");
            assertThat(finding.reason().zh()).contains("报关员证", "BG35010002");
            assertThat(finding.reason().en()).contains("customs broker certificate", "BG35010002");
        });
    }

    private static List<Finding> findings(Optional<RegistryRecord> record) {
        return CertificateFindings.of(Agency.QUALITY, DOCUMENT, NUMBER, record, NAME, TODAY);
    }

    private static Optional<RegistryRecord> found(RegistryRecord.Status status, LocalDate validUntil, String holderName) {
        return Optional.of(new RegistryRecord("M000100Y4", holderName, status, validUntil, null));
    }

    private static String effectAndCode(Finding finding) {
        return finding.effect() + " " + finding.reason().code();
    }
}
