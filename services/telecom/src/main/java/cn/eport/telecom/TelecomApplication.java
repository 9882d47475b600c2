package cn.eport.telecom;

import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class TelecomApplication {

    public static final String NAME = "telecom";

    public static void main(String[] args) {
        ServiceLauncher.builder(TelecomApplication.class, NAME).run(args);
    }
}
