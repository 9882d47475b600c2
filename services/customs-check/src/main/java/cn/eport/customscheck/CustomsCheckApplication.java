package cn.eport.customscheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class CustomsCheckApplication {

    public static final String NAME = "customs-check";

    public static void main(String[] args) {
        ServiceLauncher.builder(CustomsCheckApplication.class, NAME).run(args);
    }

    @Bean
    AgencyRules customsRules() {
        return new CustomsRules();
    }
}
