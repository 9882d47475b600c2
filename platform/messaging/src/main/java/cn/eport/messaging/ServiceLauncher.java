package cn.eport.messaging;

import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Starts a service with its own configuration file, {@code <name>.yml}, rather than
 * {@code application.yml}: the sandbox runs every service in one JVM on one class path, where eight
 * files of the same name would shadow each other. A service started this way first waits for its
 * PostgreSQL and Kafka ({@link DependencyGate}); tests, which start them first, do not.
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    public static SpringApplicationBuilder builder(Class<?> application, String name) {
        return new SpringApplicationBuilder(application).properties("spring.config.name=" + name).listeners(new DependencyGate());
    }
}
