package cn.eport.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a Spring context at the shared test broker and database, with the development keys of
 * the service it runs ({@code eport.messaging.service}). Use with
 * {@code @ContextConfiguration(initializers = RealInfrastructure.class)} beside {@code @SpringBootTest}.
 */
public class RealInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestInfrastructure.Endpoints endpoints = TestInfrastructure.endpoints();
        TestPropertyValues.of(
                "spring.datasource.url=" + endpoints.jdbcUrl(),
                "spring.datasource.username=" + endpoints.username(),
                "spring.datasource.password=" + endpoints.password(),
                "spring.kafka.bootstrap-servers=" + endpoints.kafkaBootstrapServers()).applyTo(context);
        String service = context.getEnvironment().getProperty("eport.messaging.service", "");
        TestPropertyValues.of(DevKeys.propertiesFor(service)).applyTo(context);
    }
}
