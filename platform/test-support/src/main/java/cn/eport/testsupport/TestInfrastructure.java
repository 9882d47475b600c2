package cn.eport.testsupport;

import cn.eport.localinfra.DatabaseRoles;
import cn.eport.localinfra.KafkaAccess;
import cn.eport.localinfra.KafkaCredentials;
import cn.eport.localinfra.LocalKafka;
import cn.eport.localinfra.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real Kafka broker and one real PostgreSQL per test JVM, started on first use and stopped when
 * the JVM exits, so every test and every cached Spring context shares them.
 *
 * <p>The broker always runs in this JVM from the Kafka jars, with SASL/SCRAM and the authorizer of
 * {@link KafkaAccess}: its principals and rights are configured in code, which a container image would
 * have to repeat. PostgreSQL is a Testcontainer (pinned image) where a Docker engine answers, and the
 * embedded binaries where none does (CI here). Set {@code EPORT_TEST_INFRA=embedded} to skip Docker
 * even where it exists.
 */
public final class TestInfrastructure {

    /** Where the shared broker and database answer, and the broker's principals' passwords. */
    public record Endpoints(String jdbcUrl, String username, String password, String kafkaBootstrapServers,
            KafkaCredentials kafkaCredentials) {

        /** What a Kafka client needs to connect as {@code principal} (one of {@link KafkaAccess}). */
        public Map<String, Object> kafkaClient(String principal) {
            Map<String, Object> properties = new HashMap<>(kafkaCredentials.clientProperties(principal));
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
            return properties;
        }

        /** {@link #kafkaClient(String)} of the super user, as which tests watch and tamper with topics. */
        public Map<String, Object> kafkaAdmin() {
            return kafkaClient(KafkaAccess.ADMIN);
        }

        @Override
        public String toString() {
            return "Endpoints[" + jdbcUrl + ", Kafka " + kafkaBootstrapServers + "]";
        }
    }

    static final String POSTGRES_IMAGE = "postgres:17.6-alpine";

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);
    private static Endpoints endpoints;

    private TestInfrastructure() {
    }

    private static final Map<String, String> ROLE_PASSWORDS = new HashMap<>();

    /**
     * The password of the PostgreSQL role that owns {@code schema} (and only it), created on first use:
     * each service of a test connects as its own role, as it does deployed.
     */
    public static synchronized String databaseRole(String schema) {
        return ROLE_PASSWORDS.computeIfAbsent(schema, s -> {
            Endpoints database = endpoints();
            String password = DatabaseRoles.newPassword();
            DatabaseRoles.provision(database.jdbcUrl(), database.username(), database.password(), s, password);
            return password;
        });
    }

    public static synchronized Endpoints endpoints() {
        if (endpoints == null) {
            long started = System.nanoTime();
            endpoints = withKafka(useDocker() ? startContainer() : startInProcess());
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

    private record Database(String jdbcUrl, String username, String password) {
    }

    private static Endpoints withKafka(Database database) {
        LocalKafka kafka = LocalKafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
        return new Endpoints(database.jdbcUrl(), database.username(), database.password(), kafka.bootstrapServers(),
                kafka.credentials());
    }

    private static Database startInProcess() {
        LocalPostgres postgres = LocalPostgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "test-postgres-stop"));
        return new Database(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static Database startContainer() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withDatabaseName(LocalPostgres.DATABASE).withUsername(LocalPostgres.USER).withPassword(LocalPostgres.PASSWORD);
        postgres.start();
        return new Database(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
    }
}
