package cn.eport.dashboard;

import cn.eport.messaging.ServiceLauncher;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableConfigurationProperties(DashboardSettings.class)
@EnableScheduling
public class DashboardApplication {

    public static final String NAME = "dashboard";

    public static void main(String[] args) {
        ServiceLauncher.builder(DashboardApplication.class, NAME).run(args);
    }
}
