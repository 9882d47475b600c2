package cn.eport.messaging;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.context.ApplicationListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Before a service refreshes its context, waits for its PostgreSQL and its Kafka brokers to answer,
 * saying what it waits for, so that a service started while either is away (restarting, not yet up)
 * starts once they are back instead of exiting. Gives up after
 * {@code eport.startup.wait-for-dependencies} (default 10 minutes; 0 does not wait at all).
 */
final class DependencyGate implements ApplicationListener<ApplicationPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(DependencyGate.class);
    private static final Duration PAUSE = Duration.ofSeconds(2);

    @FunctionalInterface
    private interface Probe {
        void answer() throws Exception;
    }

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        // Prepared, not environment-prepared: context initializers (the tests' real infrastructure)
        // have set their properties by now, and nothing has touched the database or the broker yet.
        ConfigurableEnvironment environment = event.getApplicationContext().getEnvironment();
        Duration limit = environment.getProperty("eport.startup.wait-for-dependencies", Duration.class, Duration.ofMinutes(10));
        String jdbcUrl = environment.getProperty("spring.datasource.url");
        String kafka = environment.getProperty("spring.kafka.bootstrap-servers");
        String kafkaUser = environment.getProperty("eport.kafka.username", "");
        if (environment.getProperty("spring.kafka.properties.security.protocol", "").startsWith("SASL")
                && environment.getProperty("eport.kafka.password", "").isEmpty()) {
            // Else every client would fail to authenticate and the service would wait for a broker that answers.
            throw new IllegalStateException("No Kafka password for principal " + kafkaUser + ": set EPORT_KAFKA_PASSWORD"
                    + " (each service connects to the broker as its own principal; see docs/security.md)");
        }
        if (limit.isZero() || jdbcUrl == null || kafka == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            return;
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", environment.getProperty("spring.datasource.username", ""));
        credentials.setProperty("password", environment.getProperty("spring.datasource.password", ""));
        credentials.setProperty("connectTimeout", "3");
        credentials.setProperty("loginTimeout", "3");
        waitFor("PostgreSQL at " + jdbcUrl, limit, () -> {
            try (Connection connection = DriverManager.getConnection(jdbcUrl, credentials)) {
                connection.isValid(3);
            }
        });
        // String values: bound as Object, "security.protocol" would become a nested map of "security".
        Map<String, Object> admin = new HashMap<>(Binder.get(environment)
                .bind("spring.kafka.properties", Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "dependency-gate");
        waitFor("the Kafka brokers at " + kafka, limit, () -> {
            try (Admin client = Admin.create(admin)) {
                client.describeCluster().nodes().get(4, TimeUnit.SECONDS);
            }
        });
    }

    private static void waitFor(String what, Duration limit, Probe probe) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                probe.answer();
                if (attempt > 1) {
                    log.info("{} answers; starting (waited {} s)", what, (System.nanoTime() - started) / 1_000_000_000);
                }
                return;
            } catch (Exception e) {
                Duration waited = Duration.ofNanos(System.nanoTime() - started);
                if (waited.compareTo(limit) >= 0) {
                    throw new IllegalStateException(what + " did not answer within " + limit + ": " + reason(e), e);
                }
                log.warn("Waiting for {} before starting: {} (waited {} s of at most {} s)", what, reason(e),
                        waited.toSeconds(), limit.toSeconds());
                try {
                    Thread.sleep(PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + what, interrupted);
                }
            }
        }
    }

    private static String reason(Exception e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        String message = root instanceof SQLException sql && sql.getSQLState() != null
                ? sql.getSQLState() + " " + sql.getMessage() : root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
