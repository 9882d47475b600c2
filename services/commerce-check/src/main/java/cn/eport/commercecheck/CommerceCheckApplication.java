package cn.eport.commercecheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class CommerceCheckApplication {

    public static final String NAME = "commerce-check";

    public static void main(String[] args) {
        ServiceLauncher.builder(CommerceCheckApplication.class, NAME).run(args);
    }

    @Bean
    AgencyRules commerceRules() {
        return new CommerceRules();
    }
}
