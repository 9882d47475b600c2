package cn.eport.sandbox.processes;

import cn.eport.contracts.Agency;
import cn.eport.contracts.DecisionLog;
import cn.eport.localinfra.DatabaseRoles;
import cn.eport.localinfra.KafkaAccess;
import cn.eport.localinfra.KafkaCredentials;
import cn.eport.localinfra.LocalPostgres;
import cn.eport.localinfra.StandalonePostgres;
import cn.eport.sandbox.EportSystem;
import cn.eport.testsupport.DevKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joint review as separate processes on this machine: a PostgreSQL and a Kafka broker that keep
 * their data in {@link ProcessSettings#home()} across restarts, the registry simulator, and every
 * service as its own JVM from its exec jar, configured by the same environment variables as
 * {@code docker-compose.yml}. Any one process can be stopped, killed with SIGKILL, shut down
 * immediately (PostgreSQL) and started again by name; every start, readiness, stop and crash is
 * recorded ({@link #events()}), each process's output goes to its own log file, and closing the system
 * (or ending its JVM with SIGTERM or Ctrl-C) stops them all.
 *
 * <p>Readiness: a service when {@code /actuator/health/readiness} answers 200 (its database and its
 * Kafka binder are up); the broker when it lists the joint review's topics; PostgreSQL when it runs a
 * query; the registry simulator when it answers HTTP.
 */
public final class ProcessSystem implements AutoCloseable {

    public static final String POSTGRES = "postgres";
    public static final String KAFKA = "kafka";
    public static final String REGISTRIES = "registries";
    /** Every service, in the order they start and take their ports. */
    public static final List<String> SERVICES = EportSystem.SERVICES.stream().map(EportSystem.Service::name).toList();

    /** How a process is ended before it is started again. */
    public enum StopMode {
        /** SIGTERM (PostgreSQL: SIGINT, a fast shutdown), SIGKILL after a grace period. */
        GRACEFUL,
        /** PostgreSQL: SIGQUIT, an immediate shutdown, which recovers from its log on the next start like a crash. Others: SIGKILL. */
        IMMEDIATE,
        /** SIGKILL: kill -9. */
        KILL
    }

    /** One restart of one process: when it was stopped, started again, and ready again. */
    public record Restart(String process, StopMode how, Instant stoppedAt, Instant startedAt, Instant readyAt) {

        public Duration startToReady() {
            return Duration.between(startedAt, readyAt);
        }

        public Duration downtime() {
            return Duration.between(stoppedAt, readyAt);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ProcessSystem.class);
    private static final Duration START_PATIENCE = Duration.ofMinutes(4);
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(30);
    private static final int CRASH_RESTARTS = 20;
    private static final String JWT_PUBLIC_KEY = "eport/dev-jwt-public.pem";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private final ProcessSettings settings;
    private final KafkaCredentials kafkaCredentials;
    /** Each service's PostgreSQL role's password, set afresh at every start of the system. */
    private final Map<String, String> databasePasswords = new ConcurrentHashMap<>();
    private final Map<String, ManagedProcess> processes = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Whether each process should run: a crash of one that should is followed by a start. */
    private final Map<String, Boolean> wanted = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> crashRestarts = new ConcurrentHashMap<>();
    private final List<ProcessEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService background;
    private final ScheduledExecutorService supervisor;
    private final Thread shutdownHook;
    private volatile boolean closing;

    private ProcessSystem(ProcessSettings settings) {
        this.settings = settings;
        this.kafkaCredentials = KafkaCredentials.forDataDirectory(settings.home().resolve("data/kafka"));
        AtomicInteger threads = new AtomicInteger();
        this.background = Executors.newCachedThreadPool(r -> daemon(r, "processes-" + threads.incrementAndGet()));
        this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "processes-supervisor"));
        this.shutdownHook = new Thread(this::stopAll, "processes-stop");
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Starts everything and returns once every process is ready: PostgreSQL, the broker and the
     * registries side by side, then the services two at a time (start-up is CPU-bound, and there are
     * two cores). Whatever was left running by an earlier system in the same home (one whose JVM was
     * killed) is ended first.
     */
    public static ProcessSystem start(ProcessSettings settings) {
        ProcessSystem system = new ProcessSystem(settings);
        Runtime.getRuntime().addShutdownHook(system.shutdownHook);
        try {
            system.startAll();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startAll() {
        long began = System.nanoTime();
        Path home = settings.home();
        try {
            Files.createDirectories(home.resolve("logs"));
            Files.createDirectories(home.resolve("pids"));
            Files.createDirectories(home.resolve("data"));
            try (InputStream key = ProcessSystem.class.getClassLoader().getResourceAsStream(JWT_PUBLIC_KEY)) {
                if (key == null) {
                    throw new IllegalStateException(JWT_PUBLIC_KEY + " is not on the class path (platform/test-support)");
                }
                Files.copy(key, jwtPublicKey(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        endLeftovers();
        String classPath = settings.snapshotJars() ? snapshot(System.getProperty("java.class.path")) : System.getProperty("java.class.path");
        StandalonePostgres postgres = StandalonePostgres.prepare(home.resolve("data/postgres"), home.resolve("postgres-binaries"),
                settings.postgresPort());
        define(POSTGRES, postgres.command(), Map.of(), this::postgresReady, ManagedProcess.Signal.INT);
        define(KAFKA, javaCommand(classPath, List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                "cn.eport.localinfra.StandaloneKafka", List.of("--port", String.valueOf(settings.kafkaPort()),
                        "--controller-port", String.valueOf(settings.kafkaControllerPort()),
                        "--data", home.resolve("data/kafka").toString())),
                Map.of(), this::kafkaReady, ManagedProcess.Signal.TERM);
        define(REGISTRIES, javaCommand(classPath, List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                "cn.eport.sandbox.registries.RegistrySimulator", List.of()),
                Map.of("PORT", String.valueOf(settings.registryPort())),
                httpReady("http://127.0.0.1:" + settings.registryPort() + "/admin/outages"), ManagedProcess.Signal.TERM);
        for (String service : SERVICES) {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.addAll(settings.serviceJvmOptions());
            command.add(homeMarker());
            command.add("-jar");
            Path jar = serviceJar(service);
            command.add((settings.snapshotJars() ? snapshot(jar.toString()) : jar.toString()));
            define(service, command, serviceEnvironment(service),
                    httpReady(serviceUrl(service) + "/actuator/health/readiness"), ManagedProcess.Signal.TERM);
        }
        for (String infrastructure : List.of(POSTGRES, KAFKA, REGISTRIES)) {
            start(infrastructure);
        }
        for (String infrastructure : List.of(POSTGRES, KAFKA, REGISTRIES)) {
            awaitReady(infrastructure, START_PATIENCE);
        }
        Map<String, String> roles = new LinkedHashMap<>();
        SERVICES.forEach(service -> roles.put(DatabaseRoles.schemaOf(service), databasePassword(service)));
        DatabaseRoles.provisionAll(jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD, roles);
        ExecutorService starter = Executors.newFixedThreadPool(2, r -> daemon(r, "processes-starter"));
        try {
            Map<String, Future<Instant>> starting = new LinkedHashMap<>();
            for (String service : SERVICES) {
                starting.put(service, starter.submit(() -> {
                    start(service);
                    return awaitReady(service, START_PATIENCE);
                }));
            }
            for (Map.Entry<String, Future<Instant>> service : starting.entrySet()) {
                try {
                    service.getValue().get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(service.getKey() + " did not start: " + e.getCause().getMessage(), e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the services were starting", e);
        } finally {
            starter.shutdownNow();
        }
        log.info("Multi-process system ready in {} s (home {})", (System.nanoTime() - began) / 1_000_000_000, home);
    }

    private void define(String name, List<String> command, Map<String, String> environment, BooleanSupplier readiness,
            ManagedProcess.Signal graceful) {
        ManagedProcess process = new ManagedProcess(name, command, environment, settings.home().resolve("logs/" + name + ".log"),
                settings.home().resolve("pids/" + name + ".pid"), readiness, graceful, this::record, this::crashed, background);
        processes.put(name, process);
        wanted.put(name, false);
        crashRestarts.put(name, new AtomicInteger());
    }

    private void record(ProcessEvent event) {
        events.add(event);
        if (event.kind() == ProcessEvent.Kind.CRASHED || event.kind() == ProcessEvent.Kind.STOPPING) {
            log.info("{}", event);
        }
    }

    private void crashed(ManagedProcess process) {
        String name = process.name();
        if (closing || !settings.restartCrashed() || !wanted.getOrDefault(name, false)) {
            return;
        }
        int restarts = crashRestarts.get(name).incrementAndGet();
        if (restarts > CRASH_RESTARTS) {
            log.error("{} crashed {} times: not starting it again (see {})", name, restarts, process.log());
            return;
        }
        log.warn("{} ended without being asked to: starting it again in 2 s (see {})", name, process.log());
        supervisor.schedule(() -> {
            synchronized (process) {
                if (!closing && wanted.getOrDefault(name, false) && !process.isAlive()) {
                    process.start("after a crash");
                }
            }
        }, 2, TimeUnit.SECONDS);
    }

    /** The names of every process: PostgreSQL, the broker, the registries and the services. */
    public List<String> names() {
        synchronized (processes) {
            return List.copyOf(processes.keySet());
        }
    }

    private ManagedProcess process(String name) {
        ManagedProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no process " + name + "; there are " + names());
        }
        return process;
    }

    /** Starts the process (it must not be running) and returns when; {@link #awaitReady} waits for it to be ready. */
    public Instant start(String name) {
        ManagedProcess process = process(name);
        synchronized (process) {
            wanted.put(name, true);
            return process.start("asked to");
        }
    }

    /**
     * Waits until the process is ready and returns when it became ready. A run that ends before it is
     * ready is followed, when crashed processes are started again, by the next run.
     */
    public Instant awaitReady(String name, Duration timeout) {
        ManagedProcess process = process(name);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Instant run = process.startedAt();
            try {
                return process.awaitReady(Duration.between(Instant.now(), deadline));
            } catch (IllegalStateException e) {
                if (closing || !settings.restartCrashed() || !wanted.getOrDefault(name, false)) {
                    throw e;
                }
                // The supervisor starts it again 2 s after it ended: wait for that run.
                while (Objects.equals(process.startedAt(), run)) {
                    if (Instant.now().isAfter(deadline) || crashRestarts.get(name).get() > CRASH_RESTARTS) {
                        throw e;
                    }
                    sleep(Duration.ofMillis(250));
                }
            }
        }
    }

    /** Asks the process to stop (SIGTERM; PostgreSQL: a fast shutdown), SIGKILL after a grace period; returns when asked. */
    public Instant stop(String name) {
        wanted.put(name, false);
        return process(name).stopGracefully(name.equals(KAFKA) ? Duration.ofSeconds(60) : SERVICE_GRACE);
    }

    /** SIGKILL: kill -9, and returns when it was sent, once the process has ended. */
    public Instant kill(String name) {
        wanted.put(name, false);
        return process(name).stop(ManagedProcess.Signal.KILL, Duration.ofSeconds(10));
    }

    /** PostgreSQL: an immediate shutdown (SIGQUIT), no checkpoint, recovery on the next start. Any other process: SIGKILL. */
    public Instant shutdownImmediately(String name) {
        if (!name.equals(POSTGRES)) {
            return kill(name);
        }
        wanted.put(name, false);
        return process(name).stop(ManagedProcess.Signal.QUIT, Duration.ofSeconds(30));
    }

    /** Ends the process as {@code how} says, waits {@code down}, starts it again and waits for it to be ready. */
    public Restart restart(String name, StopMode how, Duration down) {
        Instant stopped = switch (how) {
            case GRACEFUL -> stop(name);
            case IMMEDIATE -> shutdownImmediately(name);
            case KILL -> kill(name);
        };
        sleep(down);
        Instant started = startAgain(name);
        return new Restart(name, how, stopped, started, awaitReady(name, START_PATIENCE));
    }

    /**
     * Starts the process again after it was ended. PostgreSQL killed with SIGKILL can refuse to start
     * while its old backends still hold shared memory; that start ends at once, and it is tried again.
     */
    private Instant startAgain(String name) {
        Instant started = start(name);
        for (int attempt = 1; attempt < 10 && name.equals(POSTGRES); attempt++) {
            sleep(Duration.ofSeconds(1));
            ManagedProcess process = process(name);
            synchronized (process) {
                if (process.isAlive()) {
                    break;
                }
                log.warn("PostgreSQL ended at once after its start; starting it again (attempt {})", attempt + 1);
                started = start(name);
            }
        }
        return started;
    }

    public boolean isAlive(String name) {
        return process(name).isAlive();
    }

    public boolean isReady(String name) {
        return process(name).isReady();
    }

    public Optional<Long> pid(String name) {
        return process(name).pid();
    }

    public Path log(String name) {
        return process(name).log();
    }

    /** Everything that happened to the processes so far, oldest first. */
    public List<ProcessEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public ProcessSettings settings() {
        return settings;
    }

    public int httpPort(String service) {
        Integer port = settings.httpPorts().get(service);
        if (port == null) {
            throw new IllegalArgumentException("no service " + service);
        }
        return port;
    }

    public String serviceUrl(String service) {
        return "http://127.0.0.1:" + httpPort(service);
    }

    /** Where the agency's registry answers, and the simulator's {@code /admin/outages/<agency>} beside it. */
    public String registriesUrl() {
        return "http://127.0.0.1:" + settings.registryPort();
    }

    /** What a client needs to connect to the broker as its super user, as the fault matrix and tools do. */
    public Map<String, Object> kafkaAdmin() {
        Map<String, Object> properties = new HashMap<>(kafkaCredentials.clientProperties(KafkaAccess.ADMIN));
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + settings.kafkaPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/" + LocalPostgres.DATABASE;
    }

    private String databasePassword(String service) {
        return databasePasswords.computeIfAbsent(service, s -> DatabaseRoles.newPassword());
    }

    /** What compose gives each service, pointed at this machine's processes. */
    private Map<String, String> serviceEnvironment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("EPORT_DB_URL", jdbcUrl());
        environment.put("EPORT_DB_USER", DatabaseRoles.schemaOf(service));
        environment.put("EPORT_DB_PASSWORD", databasePassword(service));
        environment.put("EPORT_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        environment.put("EPORT_KAFKA_PASSWORD", kafkaCredentials.password(service));
        environment.put("EPORT_JWT_PUBLIC_KEY_LOCATION", "file:" + jwtPublicKey());
        Map<String, String> keys = DevKeys.propertiesFor(service);
        for (Agency agency : Agency.values()) {
            environment.put("EPORT_SIGNING_PUBLIC_KEY_" + agency.name(), keys.get("eport.signing.public-keys." + agency.id()));
            if (service.equals(agency.id() + "-check")) {
                environment.put("EPORT_SIGNING_PRIVATE_KEY", DevKeys.privateKeyOf(agency.id()));
                environment.put("EPORT_REGISTRY_URL", registriesUrl() + "/" + agency.id());
            }
        }
        for (String signer : DevKeys.SERVICE_SIGNERS) {
            environment.put("EPORT_SIGNING_PUBLIC_KEY_" + signer.toUpperCase(Locale.ROOT).replace('-', '_'), DevKeys.publicKeyOf(signer));
            if (service.equals(signer)) {
                environment.put("EPORT_SIGNING_PRIVATE_KEY", DevKeys.privateKeyOf(signer));
            }
        }
        if (service.equals("intake")) {
            // A local system: webhooks may go to a receiver on this machine (the registries' webhook inbox).
            environment.put("EPORT_WEBHOOKS_ALLOW_LOOPBACK", "true");
            environment.put("EPORT_EVIDENCE_SOURCES", DecisionLog.SERVICES.stream().filter(s -> !s.equals("intake"))
                    .map(s -> s + "=" + serviceUrl(s)).collect(Collectors.joining(",")));
        }
        environment.put("PORT", String.valueOf(httpPort(service)));
        // One instance of each service, the same one across its restarts (compose sets the container's host name).
        environment.put("EPORT_INSTANCE_ID", service + "-1");
        return environment;
    }

    private Path jwtPublicKey() {
        return settings.home().resolve("dev-jwt-public.pem");
    }

    private Path serviceJar(String service) {
        Path target = settings.servicesDirectory().resolve(service).resolve("target");
        try (Stream<Path> jars = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return jars.filter(jar -> jar.getFileName().toString().startsWith(service + "-")
                            && jar.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + target + "/" + service + "-<version>-exec.jar: build it with "
                            + "./mvnw -q install -DskipTests -pl services/" + service));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String homeMarker() {
        // Marks every JVM of this system on its command line, so leftovers of a killed harness are recognised.
        return "-Deport.processes.home=" + settings.home();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A main class of this class path, in a JVM of its own: from the sandbox's exec jar through Spring Boot's launcher. */
    private List<String> javaCommand(String classPath, List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add(homeMarker());
        if (isExecutableJar(classPath)) {
            command.addAll(List.of("-Dloader.main=" + mainClass, "-cp", classPath, "org.springframework.boot.loader.launch.PropertiesLauncher"));
        } else {
            command.addAll(List.of("-cp", classPath, mainClass));
        }
        command.addAll(args);
        return command;
    }

    /** A copy of the executable jar in {@code home/jars}; any other class path as it is. */
    private String snapshot(String path) {
        if (!isExecutableJar(path)) {
            return path;
        }
        try {
            Path jars = Files.createDirectories(settings.home().resolve("jars"));
            Path copy = jars.resolve(Path.of(path).getFileName());
            Files.copy(Path.of(path), copy, StandardCopyOption.REPLACE_EXISTING);
            return copy.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy " + path, e);
        }
    }

    private static boolean isExecutableJar(String classPath) {
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/") != null || jar.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private BooleanSupplier httpReady(String url) {
        return () -> {
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }

    private boolean postgresReady() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2&socketTimeout=3",
                LocalPostgres.USER, LocalPostgres.PASSWORD)) {
            return connection.createStatement().executeQuery("SELECT 1").next();
        } catch (SQLException e) {
            return false;
        }
    }

    private boolean kafkaReady() {
        Map<String, Object> config = kafkaAdmin();
        config.putAll(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
        try (Admin admin = Admin.create(config)) {
            return admin.listTopics().names().get(3, TimeUnit.SECONDS).contains("eport.applications");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Ends the processes an earlier system in this home left running, known by their pid files and
     * confirmed by their command lines naming this home, so that no pid reused by something else is touched.
     */
    private void endLeftovers() {
        Path pids = settings.home().resolve("pids");
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                Optional<ProcessHandle> leftover = text.matches("[0-9]+") ? ProcessHandle.of(Long.parseLong(text)) : Optional.empty();
                leftover.filter(ProcessHandle::isAlive)
                        .filter(handle -> handle.info().commandLine().map(line -> line.contains(settings.home().toString())).orElse(false))
                        .ifPresent(handle -> {
                            log.warn("Ending {} (pid {}), left running by an earlier system in {}", file.getFileName(), handle.pid(),
                                    settings.home());
                            handle.destroyForcibly();
                            try {
                                handle.onExit().get(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (ExecutionException | TimeoutException e) {
                                log.warn("pid {} did not end: {}", handle.pid(), e.toString());
                            }
                        });
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops everything: the services side by side, then the registries, the broker and PostgreSQL. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is what called this
        }
    }

    private synchronized void stopAll() {
        if (closing) {
            return;
        }
        closing = true;
        wanted.replaceAll((name, running) -> false);
        List<Thread> stopping = new ArrayList<>();
        for (String service : SERVICES) {
            ManagedProcess process = processes.get(service);
            if (process != null && process.isAlive()) {
                Thread thread = new Thread(() -> process.stopGracefully(SERVICE_GRACE), "stop-" + service);
                thread.start();
                stopping.add(thread);
            }
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String infrastructure : List.of(REGISTRIES, KAFKA, POSTGRES)) {
            ManagedProcess process = processes.get(infrastructure);
            if (process != null && process.isAlive()) {
                process.stopGracefully(infrastructure.equals(KAFKA) ? Duration.ofSeconds(60) : SERVICE_GRACE);
            }
        }
        supervisor.shutdownNow();
        background.shutdownNow();
        if (settings.snapshotJars()) {
            // The copies served this run only; the data and the logs stay.
            try (Stream<Path> copies = Files.exists(settings.home().resolve("jars")) ? Files.list(settings.home().resolve("jars")) : Stream.empty()) {
                for (Path copy : copies.toList()) {
                    Files.deleteIfExists(copy);
                }
            } catch (IOException e) {
                log.warn("Could not remove the jar copies in {}: {}", settings.home().resolve("jars"), e.toString());
            }
        }
        log.info("Multi-process system stopped");
    }
}
