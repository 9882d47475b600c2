package cn.eport.forexcheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class ForexCheckApplication {

    public static final String NAME = "forex-check";

    public static void main(String[] args) {
        ServiceLauncher.builder(ForexCheckApplication.class, NAME).run(args);
    }

    @Bean
    AgencyRules forexRules() {
        return new ForexRules();
    }
}
