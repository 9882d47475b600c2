package cn.eport.testsupport;

import cn.eport.localinfra.KafkaAccess;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a Spring context at the shared test broker and database, with the development keys and the
 * broker principal of the service it runs ({@code eport.messaging.service}). Use with
 * {@code @ContextConfiguration(initializers = RealInfrastructure.class)} beside {@code @SpringBootTest}.
 */
public class RealInfrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestInfrastructure.Endpoints endpoints = TestInfrastructure.endpoints();
        // Each service connects to PostgreSQL as the role that owns its schema, as it does deployed.
        String schema = context.getEnvironment().getProperty("eport.database.schema");
        TestPropertyValues.of(
                "spring.datasource.url=" + endpoints.jdbcUrl(),
                "spring.datasource.username=" + (schema != null ? schema : endpoints.username()),
                "spring.datasource.password=" + (schema != null ? TestInfrastructure.databaseRole(schema) : endpoints.password()),
                "spring.kafka.bootstrap-servers=" + endpoints.kafkaBootstrapServers()).applyTo(context);
        String service = context.getEnvironment().getProperty("eport.messaging.service", "");
        TestPropertyValues.of(DevKeys.propertiesFor(service)).applyTo(context);
        // A service of the joint review connects as its own principal, with the rights it has in
        // production; a test's own stand-in service (messaging-test) is none, and acts as the super user.
        boolean principal = KafkaAccess.principals().stream().anyMatch(p -> p.name().equals(service));
        String user = principal ? service : KafkaAccess.ADMIN;
        TestPropertyValues.of("eport.kafka.username=" + user,
                "eport.kafka.password=" + endpoints.kafkaCredentials().password(user)).applyTo(context);
    }
}
