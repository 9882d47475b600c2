package cn.eport.intake;

import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(IntakeSettings.class)
public class IntakeApplication {

    public static final String NAME = "intake";

    public static void main(String[] args) {
        ServiceLauncher.builder(IntakeApplication.class, NAME).run(args);
    }
}
