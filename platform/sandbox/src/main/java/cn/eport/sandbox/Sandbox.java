package cn.eport.sandbox;

import cn.eport.contracts.Agency;
import cn.eport.localinfra.LocalKafka;
import cn.eport.localinfra.LocalPostgres;
import cn.eport.sandbox.registries.RegistrySimulator;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.testsupport.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command local system: the registry simulator, a real PostgreSQL and a real Kafka broker
 * started in this JVM, every service, and a demo feeder submitting sample applications. State lives
 * only as long as the sandbox does. Ctrl-C stops everything, in order, and leaves no process behind.
 *
 * <p>Environment: {@code EPORT_HTTP_PORT} (8080: intake, then the others on the next ports),
 * {@code EPORT_KAFKA_PORT} (9092), {@code EPORT_POSTGRES_PORT} (15432), {@code EPORT_REGISTRY_PORT} (8090),
 * {@code EPORT_DEMO} ({@code on}; {@code off} for a quiet system), {@code EPORT_DEMO_EVERY} (seconds, 3).
 */
public final class Sandbox {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    private Sandbox() {
    }

    /** Where the sandbox leaves its broker's passwords for tools on this machine (kcat, the load generator). */
    public static final Path KAFKA_CREDENTIALS = Path.of("target/eport-sandbox/kafka-credentials.properties");

    private static void writeKafkaCredentials(LocalKafka kafka) {
        try {
            kafka.credentials().writeTo(KAFKA_CREDENTIALS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + KAFKA_CREDENTIALS.toAbsolutePath(), e);
        }
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        int kafkaPort = setting("EPORT_KAFKA_PORT", 9092);
        int postgresPort = setting("EPORT_POSTGRES_PORT", 15432);
        int firstHttpPort = setting("EPORT_HTTP_PORT", 8080);
        int registryPort = setting("EPORT_REGISTRY_PORT", 8090);

        RegistrySimulator registries = RegistrySimulator.start(registryPort, SampleData.enterprises(), LocalDate.now());
        LocalPostgres postgres = LocalPostgres.start(postgresPort, null);
        LocalKafka kafka = LocalKafka.start(kafkaPort);
        writeKafkaCredentials(kafka);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        // A local system: webhooks may go to a receiver on this machine (the registries' webhook inbox).
        properties.put("intake.eport.intake.webhooks.allow-loopback", "true");
        for (int i = 0; i < EportSystem.SERVICES.size(); i++) {
            properties.put(EportSystem.SERVICES.get(i).name() + ".server.port", String.valueOf(firstHttpPort + i));
        }
        EportSystem system = EportSystem.start(EportSystem.withDatabaseRoles(EportSystem.withKafkaPrincipals(
                EportSystem.withRegistries(EportSystem.withEvidenceSources(EportSystem.withDevelopmentKeys(properties)), registries), kafka.credentials()),
                postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD));
        DemoFeeder demo = new DemoFeeder(system.port("intake"), system.port("telecom"), 200);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping the sandbox");
            demo.close();
            system.close();
            kafka.close();
            postgres.close();
            registries.close();
            log.info("Sandbox stopped");
        }, "sandbox-stop"));

        StringBuilder ready = new StringBuilder("\n\nE-Port joint review sandbox is ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms\n\n");
        for (EportSystem.Service service : EportSystem.SERVICES) {
            ready.append(String.format("  %-14s http://localhost:%d%n", service.name(), system.port(service.name())));
        }
        ready.append("\n  Kafka          ").append(kafka.bootstrapServers()).append(" (SASL: SCRAM-SHA-256, or PLAIN for kcat; integrator, the read-only user, ")
                .append("and admin, the super user; passwords in ").append(KAFKA_CREDENTIALS).append(")")
                .append("\n  PostgreSQL     ").append(postgres.jdbcUrl()).append(" (administrator eport, password eport; each service is its own role)")
                .append("\n  Registries     ").append(registries.baseUrl(Agency.QUALITY).replace("/quality", "/<agency>"))
                .append("\n  Dashboard      http://localhost:").append(system.port("dashboard")).append("/#token=")
                .append(DevTokens.ops("ops-0001"))
                .append("\n  Contracts      http://localhost:").append(system.port("intake")).append("/eport/contracts/asyncapi.yaml")
                .append("\n\n").append(DevTokens.exportLines());
        ready.append("\n\nCtrl-C stops everything.\n");
        log.info(ready.toString());
        if (!"off".equalsIgnoreCase(System.getenv("EPORT_DEMO"))) {
            int every = setting("EPORT_DEMO_EVERY", 3);
            demo.start(Duration.ofSeconds(every));
            log.info("Demo feeder: a sample enterprise applies every {} s (EPORT_DEMO=off to stop it)", every);
        }
    }

    private static int setting(String name, int fallback) {
        return Integer.parseInt(System.getenv().getOrDefault(name, String.valueOf(fallback)));
    }
}
