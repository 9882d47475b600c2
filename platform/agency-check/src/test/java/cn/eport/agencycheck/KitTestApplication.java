package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.testsupport.MovableClock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** The kit with the simplest rules there are: one certificate, looked up by the enterprise's USCC. */
@SpringBootApplication
class KitTestApplication {

    static final CertificateFindings.Document CERTIFICATE =
            new CertificateFindings.Document("TEST_CERTIFICATE", "测试证书", "test certificate");

    /** The service's one clock, which the statutory clock's tests set to the days around a holiday. */
    @Bean
    MovableClock clock() {
        return new MovableClock();
    }

    @Bean
    AgencyRules rules() {
        return new AgencyRules() {
            @Override
            public Agency agency() {
                return Agency.FOREX;
            }

            @Override
            public String ruleSetVersion() {
                return "kit-test-rules/1";
            }

            @Override
            public List<RegistryQuery> registryQueries(ApplicationRevision application) {
                return List.of(new RegistryQuery("certificate", "certificates", application.enterprise().uscc()));
            }

            @Override
            public List<Finding> check(ApplicationRevision application, RegistryFacts facts, LocalDate today) {
                return CertificateFindings.of(Agency.FOREX, CERTIFICATE, application.enterprise().uscc(),
                        facts.record("certificate"), application.enterprise().name(), today);
            }
        };
    }
}
