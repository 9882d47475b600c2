package cn.eport.qualitycheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class QualityCheckApplication {

    public static final String NAME = "quality-check";

    public static void main(String[] args) {
        ServiceLauncher.builder(QualityCheckApplication.class, NAME).run(args);
    }

    @Bean
    AgencyRules qualityRules() {
        return new QualityRules();
    }
}
