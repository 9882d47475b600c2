package cn.eport.tradecheck;

import cn.eport.agencycheck.AgencyRules;
import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class TradeCheckApplication {

    public static final String NAME = "trade-check";

    public static void main(String[] args) {
        ServiceLauncher.builder(TradeCheckApplication.class, NAME).run(args);
    }

    @Bean
    AgencyRules tradeRules() {
        return new TradeRules();
    }
}
