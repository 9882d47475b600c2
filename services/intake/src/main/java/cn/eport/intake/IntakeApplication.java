package cn.eport.intake;

import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class IntakeApplication {

    public static final String NAME = "intake";

    public static void main(String[] args) {
        ServiceLauncher.builder(IntakeApplication.class, NAME).run(args);
    }
}
