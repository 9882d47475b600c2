package cn.eport.sandbox;

import cn.eport.localinfra.KafkaCredentials;
import cn.eport.sandbox.processes.ControlServer;
import cn.eport.sandbox.processes.ProcessSettings;
import cn.eport.sandbox.processes.ProcessSystem;
import cn.eport.testsupport.DevTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joint review as separate processes, one command: PostgreSQL and a Kafka broker each in a
 * process of its own, keeping their data across restarts in {@code EPORT_DATA}
 * ({@code target/eport-processes}), the registry simulator, and every service as its own JVM from its
 * exec jar under {@code EPORT_SERVICES_DIR} ({@code services}), configured as docker-compose configures
 * them. Any one process can then be stopped, killed and restarted by name, over HTTP on
 * {@code EPORT_CONTROL_PORT} (8099) or on the console (see {@link ControlServer}); one that ends by
 * itself (or by a kill -9 from outside) is started again, as compose's restart policy would
 * ({@code EPORT_RESTART=off} leaves it down). Ctrl-C or SIGTERM stops everything.
 *
 * <p>Ports as the in-process sandbox's: {@code EPORT_HTTP_PORT} (8080, intake; then the others),
 * {@code EPORT_REGISTRY_PORT} (8090), {@code EPORT_KAFKA_PORT} (9092; its controller the next port),
 * {@code EPORT_POSTGRES_PORT} (15432). {@code EPORT_DEMO=on} feeds sample applications (off by default:
 * this system is mostly for faults and load). {@code EPORT_JAVA_OPTS} replaces the services' JVM options.
 */
public final class MultiProcessSandbox {

    private static final Logger log = LoggerFactory.getLogger(MultiProcessSandbox.class);

    private MultiProcessSandbox() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessSettings settings = ProcessSettings.standard(Path.of(setting("EPORT_DATA", "target/eport-processes")),
                Path.of(setting("EPORT_SERVICES_DIR", "services")), number("EPORT_HTTP_PORT", 8080), number("EPORT_REGISTRY_PORT", 8090),
                number("EPORT_KAFKA_PORT", 9092), number("EPORT_POSTGRES_PORT", 15432))
                .withRestartCrashed(!"off".equalsIgnoreCase(setting("EPORT_RESTART", "on")));
        String javaOptions = System.getenv("EPORT_JAVA_OPTS");
        if (javaOptions != null && !javaOptions.isBlank()) {
            settings = settings.withServiceJvmOptions(Arrays.asList(javaOptions.trim().split("\\s+")));
        }
        int controlPort = number("EPORT_CONTROL_PORT", 8099);
        long began = System.nanoTime();
        ProcessSystem system = ProcessSystem.start(settings);
        ControlServer control = ControlServer.start(system, controlPort);
        DemoFeeder demo = new DemoFeeder(system.httpPort("intake"), system.httpPort("telecom"), 200);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            control.close();
            system.close();
            stopped.countDown();
        }, "multi-process-sandbox-stop"));

        StringBuilder ready = new StringBuilder("\n\nE-Port joint review, multi-process, is ready in "
                + (System.nanoTime() - began) / 1_000_000_000 + " s\n\n");
        for (String name : system.names()) {
            String where = switch (name) {
                case ProcessSystem.POSTGRES -> system.jdbcUrl() + " (administrator eport, password eport; each service is its own role)";
                case ProcessSystem.KAFKA -> system.bootstrapServers() + " (SASL: SCRAM-SHA-256, or PLAIN for kcat; passwords in "
                        + KafkaCredentials.fileFor(settings.home().resolve("data/kafka")) + ")";
                case ProcessSystem.REGISTRIES -> system.registriesUrl() + "/<agency>, outages at " + system.registriesUrl() + "/admin/outages";
                default -> system.serviceUrl(name);
            };
            ready.append(String.format("  %-14s pid %-8s %s%n", name, system.pid(name).map(String::valueOf).orElse("-"), where));
        }
        ready.append("\n  Dashboard      ").append(system.serviceUrl("dashboard")).append("/#token=").append(DevTokens.ops("ops-0001"))
                .append("\n  Data           ").append(settings.home().resolve("data"))
                .append("\n  Logs           ").append(settings.home().resolve("logs")).append("/<process>.log")
                .append("\n  Pids           ").append(settings.home().resolve("pids")).append("/<process>.pid")
                .append("\n  Control        curl -X POST http://127.0.0.1:").append(controlPort)
                .append("/processes/<name>/stop|kill|immediate|start|restart ; GET /processes; or type e.g. 'restart tax-check'")
                .append("\n\n").append(DevTokens.exportLines());
        ready.append("\n\nCtrl-C stops everything.\n");
        log.info(ready.toString());
        control.readConsole();
        if ("on".equalsIgnoreCase(System.getenv("EPORT_DEMO"))) {
            demo.start(Duration.ofSeconds(number("EPORT_DEMO_EVERY", 3)));
        }
        stopped.await();
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int number(String name, int fallback) {
        return Integer.parseInt(setting(name, String.valueOf(fallback)));
    }
}
