package cn.eport.sandbox;

import cn.eport.cardissuance.CardIssuanceApplication;
import cn.eport.commercecheck.CommerceCheckApplication;
import cn.eport.contracts.Agency;
import cn.eport.contracts.DecisionLog;
import cn.eport.customscheck.CustomsCheckApplication;
import cn.eport.dashboard.DashboardApplication;
import cn.eport.forexcheck.ForexCheckApplication;
import cn.eport.intake.IntakeApplication;
import cn.eport.messaging.ServiceLauncher;
import cn.eport.qualitycheck.QualityCheckApplication;
import cn.eport.sandbox.registries.RegistrySimulator;
import cn.eport.taxcheck.TaxCheckApplication;
import cn.eport.telecom.TelecomApplication;
import cn.eport.localinfra.DatabaseRoles;
import cn.eport.localinfra.KafkaCredentials;
import cn.eport.testsupport.DevKeys;
import cn.eport.tradecheck.TradeCheckApplication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every service of the joint review, each in its own Spring context (its own configuration file,
 * schema, consumer groups and HTTP port) inside this JVM, against one broker and one database.
 */
public final class EportSystem implements AutoCloseable {

    /** A service: its name and its Spring Boot application class. */
    public record Service(String name, Class<?> application) {
    }

    public static final List<Service> SERVICES = List.of(
            new Service(IntakeApplication.NAME, IntakeApplication.class),
            new Service(QualityCheckApplication.NAME, QualityCheckApplication.class),
            new Service(CommerceCheckApplication.NAME, CommerceCheckApplication.class),
            new Service(TaxCheckApplication.NAME, TaxCheckApplication.class),
            new Service(TradeCheckApplication.NAME, TradeCheckApplication.class),
            new Service(ForexCheckApplication.NAME, ForexCheckApplication.class),
            new Service(CustomsCheckApplication.NAME, CustomsCheckApplication.class),
            new Service(CardIssuanceApplication.NAME, CardIssuanceApplication.class),
            new Service(TelecomApplication.NAME, TelecomApplication.class),
            new Service(DashboardApplication.NAME, DashboardApplication.class));

    private static final Logger log = LoggerFactory.getLogger(EportSystem.class);

    private final Map<String, ConfigurableApplicationContext> running;

    private EportSystem(Map<String, ConfigurableApplicationContext> running) {
        this.running = running;
    }

    /**
     * Starts every service with the given properties (data source, broker, ports), plus
     * {@code <service>.<property>} entries that apply to that service only.
     */
    public static EportSystem start(Map<String, String> properties) {
        return start(properties, SERVICES);
    }

    /**
     * Starts just {@code services}, as {@link #start(Map)} would: the first alone, because it sets up
     * logging for the whole JVM, then the others side by side, as many at a time as there are cores
     * (they wait on the broker and the database as much as they compute).
     */
    public static EportSystem start(Map<String, String> properties, List<Service> services) {
        Map<String, ConfigurableApplicationContext> running = Collections.synchronizedMap(new LinkedHashMap<>());
        try {
            if (services.isEmpty()) {
                return new EportSystem(running);
            }
            running.put(services.get(0).name(), start(services.get(0), properties));
            List<Service> others = services.subList(1, services.size());
            Map<String, Future<ConfigurableApplicationContext>> starting = new LinkedHashMap<>();
            String loggingSystem = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
            // Logging is one per JVM and already set up: services starting side by side must not each reset it.
            System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService starter = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    task -> new Thread(task, "start-" + threads.incrementAndGet()));
            try {
                others.forEach(service -> starting.put(service.name(), starter.submit(() -> start(service, properties))));
                RuntimeException failure = null;
                for (Map.Entry<String, Future<ConfigurableApplicationContext>> started : starting.entrySet()) {
                    try {
                        running.put(started.getKey(), started.getValue().get());
                    } catch (ExecutionException e) {
                        failure = failure != null ? failure : new IllegalStateException(started.getKey() + " did not start", e.getCause());
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the services were starting", e);
            } finally {
                starter.shutdown();
                if (loggingSystem == null) {
                    System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
                } else {
                    System.setProperty(LoggingSystem.SYSTEM_PROPERTY, loggingSystem);
                }
            }
            return new EportSystem(orderedAs(services, running));
        } catch (RuntimeException e) {
            new EportSystem(running).close();
            throw e;
        }
    }

    private static ConfigurableApplicationContext start(Service service, Map<String, String> properties) {
        long started = System.nanoTime();
        List<String> args = new ArrayList<>();
        // Logging is one per JVM: a name fixed by the first service would mislabel the others' lines.
        args.add("--logging.include-application-name=false");
        // This service's own entries over the shared ones: the same argument twice would bind as a list.
        Map<String, String> own = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            if (SERVICES.stream().noneMatch(s -> key.startsWith(s.name() + "."))) {
                own.put(key, value);
            }
        });
        properties.forEach((key, value) -> {
            if (key.startsWith(service.name() + ".")) {
                own.put(key.substring(service.name().length() + 1), value);
            }
        });
        own.forEach((key, value) -> args.add("--" + key + "=" + value));
        // No shutdown hook per service: whoever started the system closes it.
        ConfigurableApplicationContext context = ServiceLauncher.builder(service.application(), service.name())
                .registerShutdownHook(false)
                .run(args.toArray(String[]::new));
        log.info("{} started in {} ms", service.name(), (System.nanoTime() - started) / 1_000_000);
        return context;
    }

    private static Map<String, ConfigurableApplicationContext> orderedAs(List<Service> services,
            Map<String, ConfigurableApplicationContext> running) {
        Map<String, ConfigurableApplicationContext> ordered = new LinkedHashMap<>();
        services.forEach(service -> ordered.put(service.name(), running.get(service.name())));
        return ordered;
    }

    /**
     * {@code properties} plus, for every service, the development keys: the JWT key the sandbox's
     * tokens are signed with, every agency's public verdict key and each agency's private one.
     */
    public static Map<String, String> withDevelopmentKeys(Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        for (Service service : SERVICES) {
            DevKeys.propertiesFor(service.name()).forEach((key, value) -> all.put(service.name() + "." + key, value));
        }
        return all;
    }

    /** {@code properties} plus, for every service, the password of its own principal on the broker. */
    public static Map<String, String> withKafkaPrincipals(Map<String, String> properties, KafkaCredentials credentials) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        for (Service service : SERVICES) {
            all.put(service.name() + ".eport.kafka.password", credentials.password(service.name()));
        }
        return all;
    }

    /**
     * {@code properties} plus, for every service, its own PostgreSQL role (owner of its schema only),
     * provisioned by the superuser {@code user} with a fresh password.
     */
    public static Map<String, String> withDatabaseRoles(Map<String, String> properties, String jdbcUrl, String user, String password) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        Map<String, String> roles = new LinkedHashMap<>();
        for (Service service : SERVICES) {
            String schema = DatabaseRoles.schemaOf(service.name());
            String rolePassword = DatabaseRoles.newPassword();
            roles.put(schema, rolePassword);
            all.put(service.name() + ".spring.datasource.username", schema);
            all.put(service.name() + ".spring.datasource.password", rolePassword);
        }
        DatabaseRoles.provisionAll(jdbcUrl, user, password, roles);
        return all;
    }

    /**
     * {@code properties} plus, for intake, where every other deciding service serves its part of a case's
     * evidence: a service without a port of its own ({@code <service>.server.port}) is given a free one.
     */
    public static Map<String, String> withEvidenceSources(Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        List<String> sources = new ArrayList<>();
        for (String service : DecisionLog.SERVICES) {
            if (service.equals("intake")) {
                continue;
            }
            String port = all.get(service + ".server.port");
            if (port == null || port.equals("0")) {
                port = String.valueOf(freePort());
                all.put(service + ".server.port", port);
            }
            sources.add(service + "=http://127.0.0.1:" + port);
        }
        all.put("intake.eport.intake.evidence.sources", String.join(",", sources));
        return all;
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port for a service", e);
        }
    }

    /** {@code properties} plus, for every agency service, the address of its registry in the simulator. */
    public static Map<String, String> withRegistries(Map<String, String> properties, RegistrySimulator registries) {
        Map<String, String> all = new LinkedHashMap<>(properties);
        for (Agency agency : Agency.values()) {
            all.put(agency.id() + "-check.eport.registry.base-url", registries.baseUrl(agency));
        }
        return all;
    }

    public ConfigurableApplicationContext context(String service) {
        return running.get(service);
    }

    /** The HTTP port the service listens on. */
    public int port(String service) {
        return Integer.parseInt(running.get(service).getEnvironment().getProperty("local.server.port", "-1"));
    }

    /** Stops every service, all at once: each waits for its own consumers, relay and pools, not for the others'. */
    @Override
    public void close() {
        List<Thread> stopping = new ArrayList<>();
        running.forEach((name, context) -> {
            Thread thread = new Thread(() -> {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    log.warn("{} did not stop cleanly: {}", name, e.toString());
                }
            }, "stop-" + name);
            thread.start();
            stopping.add(thread);
        });
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
    }
}
