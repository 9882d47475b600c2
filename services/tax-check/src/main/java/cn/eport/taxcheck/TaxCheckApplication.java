package cn.eport.taxcheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class TaxCheckApplication {

    public static final String NAME = "tax-check";

    public static void main(String[] args) {
        ServiceLauncher.builder(TaxCheckApplication.class, NAME).run(args);
    }

    @Bean
    AgencyRules taxRules() {
        return new TaxRules();
    }
}
