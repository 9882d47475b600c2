package cn.eport.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads every {@code META-INF/eport/defaults/*.yml} on the class path as the lowest-precedence
 * configuration, so the settings all services share (data source from the environment, Flyway,
 * Kafka, actuator) are written once, and a service's own application file holds only what is its own.
 */
final class PlatformDefaults implements EnvironmentPostProcessor {

    private final YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            Resource[] defaults = new PathMatchingResourcePatternResolver().getResources("classpath*:META-INF/eport/defaults/*.yml");
            Arrays.sort(defaults, Comparator.comparing(Resource::getDescription));
            for (Resource resource : defaults) {
                for (PropertySource<?> source : yaml.load("eport-defaults:" + resource.getFilename(), resource)) {
                    environment.getPropertySources().addLast(source);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the platform defaults", e);
        }
    }
}
