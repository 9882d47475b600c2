package cn.eport.tradecheck;

import static cn.eport.contracts.EnterpriseType.DOMESTIC;
import static cn.eport.contracts.EnterpriseType.FOREIGN_INVESTED;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TradeRulesTest {

    private final TradeRules rules = new TradeRules();

    static Stream<Arguments> certificatesGiven() {
        return Stream.of(
                Arguments.of(DOMESTIC, "ZMQ-2001-0001"),
                Arguments.of(FOREIGN_INVESTED, "外经贸闽府榕字[2001]0001号"));
    }

    @ParameterizedTest(name = "{0} with certificate {1}")
    @MethodSource("certificatesGiven")
    void approvesAnEnterpriseThatNamesItsTradeCertificate(EnterpriseType type, String certificate) {
        assertThat(rules.check(application(type, certificate))).isEmpty();
    }

    static Stream<Arguments> certificatesMissing() {
        return Stream.of(
                Arguments.of(DOMESTIC, null, "TRADE_TRADE_QUALIFICATION_CERTIFICATE_MISSING",
                        "进出口企业资格证书", "import/export enterprise qualification certificate"),
                Arguments.of(DOMESTIC, "  ", "TRADE_TRADE_QUALIFICATION_CERTIFICATE_MISSING",
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
        List<Finding> findings = rules.check(application(type, certificate));

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.effect()).isEqualTo(Finding.Effect.REJECT);
            assertThat(finding.reason().code()).isEqualTo(code);
            assertThat(finding.reason().zh()).isNotBlank().contains(zhDocument);
            assertThat(finding.reason().en()).isNotBlank().contains(enDocument);
        });
    }

    /** The sample application of an enterprise of the given type, naming the given certificate. */
    private static ApplicationSubmitted application(EnterpriseType type, String tradeCertificateNumber) {
        Enterprise enterprise = new Enterprise("榕城进出口贸易有限公司", type, "91350100M000100Y43", "M000100Y-4",
                "110108000000016", "350100M000100Y4", "3501910123", tradeCertificateNumber, "福州市鼓楼区五四路1号", "林晓明",
                "0591-87654321");
        return new ApplicationSubmitted(UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b"), 1, "YY2026000000013",
                Instant.parse("2026-11-27T08:30:00Z"), Channel.ONLINE, "enterprise-0001", enterprise,
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }
}
