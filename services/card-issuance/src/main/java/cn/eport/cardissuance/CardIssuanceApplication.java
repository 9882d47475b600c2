package cn.eport.cardissuance;

import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CardIssuanceApplication {

    public static final String NAME = "card-issuance";

    public static void main(String[] args) {
        ServiceLauncher.builder(CardIssuanceApplication.class, NAME).run(args);
    }
}
