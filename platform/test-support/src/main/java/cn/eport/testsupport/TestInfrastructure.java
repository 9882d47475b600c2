package cn.eport.testsupport;

import cn.eport.localinfra.LocalKafka;
import cn.eport.localinfra.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real Kafka broker and one real PostgreSQL per test JVM, started on first use and stopped when
 * the JVM exits, so every test and every cached Spring context shares them.
 *
 * <p>Where a Docker engine answers, they are Testcontainers (pinned images); where none does (CI
 * here), they run in-process from the Kafka jars and the embedded PostgreSQL binaries. Set
 * {@code EPORT_TEST_INFRA=embedded} to skip Docker even where it exists.
 */
public final class TestInfrastructure {

    /** Where the shared broker and database answer. */
    public record Endpoints(String jdbcUrl, String username, String password, String kafkaBootstrapServers) {
    }

    static final String POSTGRES_IMAGE = "postgres:17.6-alpine";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
    private static Endpoints endpoints;

    private TestInfrastructure() {
    }

    public static synchronized Endpoints endpoints() {
        if (endpoints == null) {
            long started = System.nanoTime();
            endpoints = useDocker() ? startContainers() : startInProcess();
            log.info("Test infrastructure ready in {} ms: {}", (System.nanoTime() - started) / 1_000_000, endpoints);
        }
        return endpoints;
    }

    private static boolean useDocker() {
        if ("embedded".equalsIgnoreCase(System.getenv("EPORT_TEST_INFRA"))) {
            return false;
        }
        // Without a socket or DOCKER_HOST there is no engine to ask; asking anyway logs errors for every strategy tried.
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Endpoints startInProcess() {
        LocalPostgres postgres = LocalPostgres.start();
        LocalKafka kafka = LocalKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            postgres.close();
        }, "test-infrastructure-stop"));
        return new Endpoints(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD, kafka.bootstrapServers());
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static Endpoints startContainers() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName(LocalPostgres.DATABASE).withUsername(LocalPostgres.USER).withPassword(LocalPostgres.PASSWORD);
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        postgres.start();
        kafka.start();
        return new Endpoints(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(), kafka.getBootstrapServers());
    }
}
