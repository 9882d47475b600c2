package cn.eport.sandbox;

import cn.eport.localinfra.LocalKafka;
import cn.eport.localinfra.LocalPostgres;
import cn.eport.sandbox.registries.RegistrySimulator;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.testsupport.DevTokens;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command local system: a real Kafka broker and a real PostgreSQL started in this JVM, then
 * every service. State lives only as long as the sandbox does. Ctrl-C stops everything.
 */
public final class Sandbox {

    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

    private Sandbox() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        int kafkaPort = Integer.parseInt(System.getenv().getOrDefault("EPORT_KAFKA_PORT", "9092"));
        int postgresPort = Integer.parseInt(System.getenv().getOrDefault("EPORT_POSTGRES_PORT", "15432"));
        int firstHttpPort = Integer.parseInt(System.getenv().getOrDefault("EPORT_HTTP_PORT", "8080"));

        int registryPort = Integer.parseInt(System.getenv().getOrDefault("EPORT_REGISTRY_PORT", "8090"));
        RegistrySimulator registries = RegistrySimulator.start(registryPort, SampleData.enterprises(), LocalDate.now());
        LocalPostgres postgres = LocalPostgres.start(postgresPort, null);
        LocalKafka kafka = LocalKafka.start(kafkaPort);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        for (int i = 0; i < EportSystem.SERVICES.size(); i++) {
            properties.put(EportSystem.SERVICES.get(i).name() + ".server.port", String.valueOf(firstHttpPort + i));
        }
        EportSystem system = EportSystem.start(EportSystem.withRegistries(EportSystem.withDevelopmentKeys(properties), registries));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping the sandbox");
            system.close();
            kafka.close();
            postgres.close();
            registries.close();
        }, "sandbox-stop"));

        StringBuilder ready = new StringBuilder("\n\nE-Port joint review sandbox is ready in "
                + (System.nanoTime() - started) / 1_000_000 + " ms\n\n");
        for (EportSystem.Service service : EportSystem.SERVICES) {
            ready.append(String.format("  %-14s http://localhost:%d%n", service.name(), system.port(service.name())));
        }
        ready.append("\n  Kafka          ").append(kafka.bootstrapServers())
                .append("\n  Registries     ").append(registries.baseUrl(cn.eport.contracts.Agency.QUALITY).replace("/quality", "/<agency>"))
                .append("\n  PostgreSQL     ").append(postgres.jdbcUrl()).append(" (user eport, password eport)")
                .append("\n\n  Development tokens (12 h):")
                .append("\n    applicant enterprise-0001: ").append(DevTokens.applicant("enterprise-0001"))
                .append("\n    clerk clerk-0001:          ").append(DevTokens.clerk("clerk-0001"))
                .append("\n    ops ops-0001:              ").append(DevTokens.ops("ops-0001"))
                .append("\n\nCtrl-C stops everything.\n");
        log.info(ready.toString());
    }
}
