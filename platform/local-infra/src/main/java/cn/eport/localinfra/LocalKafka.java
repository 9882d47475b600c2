package cn.eport.localinfra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka 4.1 broker running in this JVM, in KRaft combined mode
 * (process.roles=broker,controller), with a throw-away log directory, or with one that outlives it
 * ({@link #start(int, int, Path)}: formatted only when empty, so a restart keeps topics, offsets and records).
 *
 * <p>Every topic of the joint review is created up front with {@value #PARTITIONS} partitions, so
 * consumers can scale out by partition and no topic is created by accident with one.
 *
 * <p>Clients authenticate as the principals of {@link KafkaAccess}, with SCRAM-SHA-256 (or PLAIN and the
 * same password, for older librdkafka), and the broker's authorizer allows each only what its rules name;
 * the super user {@value KafkaAccess#ADMIN} creates the topics and grants the rights at start. The
 * controller's own listener takes the super user only (PLAIN).
 */
public final class LocalKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "BROKER";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int BIND_ATTEMPTS = 5;

    private static final AtomicBoolean EXIT_GUARD_INSTALLED = new AtomicBoolean();

    private final int requestedPort;
    private final int requestedControllerPort;
    private final Path persistentLogDir;
    private final Map<String, String> overrides;
    private final KafkaCredentials credentials;

    private KafkaRaftServer server;
    private Path logDir;
    private String bootstrapServers;

    /** Partitions of every topic of the joint review. */
    public static final int PARTITIONS = 6;

    /** Starts a broker on a free port with every topic of the joint review created. */
    public static LocalKafka start() {
        return start(0);
    }

    /** Starts a broker on {@code port} (0: a free one) with every topic of the joint review created. */
    public static LocalKafka start(int port) {
        LocalKafka kafka = new LocalKafka(port, Map.of("num.partitions", String.valueOf(PARTITIONS)));
        kafka.startBroker();
        kafka.prepareForTheJointReview();
        return kafka;
    }

    /**
     * Starts a broker on {@code port} whose controller listens on {@code controllerPort}, keeping its
     * data in {@code logDir}: the directory is formatted only when it holds no broker yet, and it is
     * left in place on close. A later start on the same directory and ports is the same broker again,
     * with its topics, records and consumer groups' offsets. The joint review's topics are created when
     * missing. The principals' passwords are kept beside the directory ({@link KafkaCredentials#forDataDirectory}).
     */
    public static LocalKafka start(int port, int controllerPort, Path logDir) {
        if (port <= 0 || controllerPort <= 0) {
            throw new IllegalArgumentException("a broker that keeps its data needs fixed ports, not " + port + "/" + controllerPort);
        }
        // After a kill -9 the restarted broker cannot register while its controller still holds the old
        // registration (DuplicateBrokerRegistrationException), until that registration's session expires:
        // 9 s by default. A single node on one machine can heartbeat faster and expire sooner.
        LocalKafka kafka = new LocalKafka(port, controllerPort, logDir.toAbsolutePath(), Map.of(
                "num.partitions", String.valueOf(PARTITIONS),
                "broker.heartbeat.interval.ms", "500",
                "broker.session.timeout.ms", "3000"), KafkaCredentials.forDataDirectory(logDir));
        kafka.startBroker();
        kafka.prepareForTheJointReview();
        return kafka;
    }

    /**
     * @param port      broker (PLAINTEXT) port, or 0 to pick a free one
     * @param overrides extra/overriding broker properties (e.g. "num.partitions" -> "3")
     */
    LocalKafka(int port, Map<String, String> overrides) {
        this(port, 0, null, overrides, KafkaCredentials.generate());
    }

    private LocalKafka(int port, int controllerPort, Path persistentLogDir, Map<String, String> overrides,
            KafkaCredentials credentials) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        this.requestedPort = port;
        this.requestedControllerPort = controllerPort;
        this.persistentLogDir = persistentLogDir;
        this.overrides = Map.copyOf(overrides);
        this.credentials = credentials;
    }

    /**
     * Formats a fresh temp log dir (or the persistent one, if it is empty), starts the broker and blocks until it accepts client
     * connections (KafkaRaftServer.startup() returns only after the broker is unfenced and
     * its acceptors are running).
     *
     * @return the bootstrap servers string, e.g. "127.0.0.1:39093"
     */
    synchronized String startBroker() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        installExitGuard();
        RuntimeException last = null;
        // A port picked by pickFreePort() can be taken by someone else before the broker binds
        // it; retry with new ports in that case (only when we picked them).
        int attempts = requestedPort == 0 ? BIND_ATTEMPTS : 1;
        for (int i = 0; i < attempts; i++) {
            try {
                return startOnce();
            } catch (RuntimeException e) {
                last = e;
                cleanUpAfterFailedStart();
                if (!isBindFailure(e)) {
                    break;
                }
                log.warn("Kafka could not bind its ports (attempt {}), retrying with other ports", i + 1);
            }
        }
        throw last;
    }

    private String startOnce() {
        int brokerPort = requestedPort != 0 ? requestedPort : pickFreePort();
        int controllerPort = requestedControllerPort != 0 ? requestedControllerPort : pickFreePort(brokerPort);
        try {
            logDir = persistentLogDir != null ? Files.createDirectories(persistentLogDir) : Files.createTempDirectory("local-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Properties props = brokerProperties(brokerPort, controllerPort, logDir);
        // doLog=false: don't dump the full config at INFO (it is dumped once more anyway
        // by BrokerServer.startup()).
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        // meta.properties is what formatting writes: a directory with it holds a broker already.
        if (persistentLogDir == null || !Files.exists(logDir.resolve("meta.properties"))) {
            format(config, logDir);
        }

        long t0 = System.nanoTime();
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        server = s; // so that a failed startup() still gets shut down / cleaned up
        s.startup();
        bootstrapServers = HOST + ":" + brokerPort;
        log.info("Local Kafka started at {} in {} ms (log dir {})",
                bootstrapServers, (System.nanoTime() - t0) / 1_000_000, logDir);
        return bootstrapServers;
    }

    /** The minimal set of broker properties for a single combined-mode node. */
    private Properties brokerProperties(int brokerPort, int controllerPort, Path dir) {
        Properties p = new Properties();
        // --- KRaft identity / quorum (static voter set: kraft.version 0) ---
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        // --- listeners ---
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map",
                BROKER_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        // --- who connects, and what each may do ---
        String admin = KafkaAccess.ADMIN;
        String adminPassword = credentials.password(admin);
        String broker = "listener.name." + BROKER_LISTENER.toLowerCase(Locale.ROOT) + ".";
        String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".";
        // SCRAM for the services; PLAIN too, with the same passwords, for librdkafka before 2.6.1 (Debian's
        // kcat), whose SCRAM Kafka 4 refuses (it repeats the client nonce; librdkafka#4895).
        p.put(broker + "sasl.enabled.mechanisms", KafkaCredentials.MECHANISM + ",PLAIN");
        p.put(broker + "scram-sha-256.sasl.jaas.config",
                KafkaCredentials.jaas("org.apache.kafka.common.security.scram.ScramLoginModule", admin, adminPassword));
        p.put(broker + "plain.sasl.jaas.config", credentials.plainServerJaas());
        p.put("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
        // SCRAM's credentials live in the metadata the controller serves, so the controller's own
        // listener cannot use them: the super user's static PLAIN login, on loopback only.
        p.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        p.put(controller + "plain.sasl.jaas.config", KafkaCredentials.plainServerJaas(Map.of(admin, adminPassword)));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + admin);
        p.put("allow.everyone.if.no.acl.found", "false");
        // --- storage ---
        p.put("log.dirs", dir.toString()); // metadata.log.dir defaults to the first log dir
        // --- internal topics on a single node (defaults are RF 3 / min ISR 2) ---
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");           // default 50: slow to create
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");   // default 50
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1"); // default 50
        // --- test friendliness ---
        p.put("group.initial.rebalance.delay.ms", "0");       // default 3000
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)); // default 128 MiB heap
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("server.max.startup.time.ms", "60000");
        p.putAll(overrides);
        return p;
    }

    /** Writes meta.properties + the bootstrap checkpoint, like `kafka-storage.sh format`. */
    private static void format(KafkaConfig config, Path dir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(dir.toString())
                    // static voters (controller.quorum.voters) => no dynamic quorum / initial controllers
                    .setHasDynamicQuorum(false)
                    // release version defaults to the latest production MetadataVersion
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Formatting Kafka storage in " + dir + " failed", e);
        }
    }

    /**
     * As the super user: the principals' passwords (its own SCRAM one too) and rights, then the topics
     * that are missing. It logs in with PLAIN, which the broker knows from its configuration, so a
     * broker whose metadata holds no SCRAM user yet (new, or from before principals) is prepared alike.
     */
    private void prepareForTheJointReview() {
        Map<String, Object> admin = new HashMap<>(credentials.plainClientProperties(KafkaAccess.ADMIN));
        admin.put("bootstrap.servers", bootstrapServers());
        try (Admin client = Admin.create(admin)) {
            KafkaAccess.apply(client, credentials);
            EportTopics.create(client, PARTITIONS);
        }
    }

    /** The principals' passwords. */
    public KafkaCredentials credentials() {
        return credentials;
    }

    /** What a client needs to connect as {@code principal}, bootstrap servers included. */
    public synchronized Map<String, Object> clientProperties(String principal) {
        Map<String, Object> properties = new HashMap<>(credentials.clientProperties(principal));
        properties.put("bootstrap.servers", bootstrapServers());
        return properties;
    }

    /** {@link #clientProperties(String)} of the super user. */
    public Map<String, Object> adminProperties() {
        return clientProperties(KafkaAccess.ADMIN);
    }

    public synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("not started");
        }
        return bootstrapServers;
    }

    /** Stops the broker (controlled shutdown, then the controller) and deletes the log dir, unless it is a persistent one. */
    @Override
    public synchronized void close() {
        if (server == null && logDir == null) {
            return;
        }
        long t0 = System.nanoTime();
        cleanUpAfterFailedStart();
        bootstrapServers = null;
        log.info("Local Kafka stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void cleanUpAfterFailedStart() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            try {
                s.shutdown();
                s.awaitShutdown();
            } catch (RuntimeException e) {
                log.warn("Error while stopping local Kafka", e);
            }
        }
        Path dir = logDir;
        logDir = null;
        if (dir != null && persistentLogDir == null) {
            deleteRecursively(dir);
        }
    }

    /**
     * Kafka calls Exit.exit/Exit.halt (=> Runtime.exit/halt) on fatal faults, e.g.
     * ProcessTerminatingFaultHandler (raft/metadata fatal errors), LogManager/ReplicaManager
     * when the log dir disappears or fails, KafkaRequestHandler on FatalExitError. In an
     * embedded broker that would kill the host JVM (a test run / the app), so turn those
     * calls into exceptions. This is process-wide static state of kafka-clients' Exit class.
     */
    private static void installExitGuard() {
        if (EXIT_GUARD_INSTALLED.compareAndSet(false, true)) {
            Exit.setExitProcedure((status, message) -> {
                log.error("Embedded Kafka called Exit.exit({}, {}) - JVM exit suppressed", status, message);
                throw new EmbeddedKafkaExitException("exit", status, message);
            });
            Exit.setHaltProcedure((status, message) -> {
                log.error("Embedded Kafka called Exit.halt({}, {}) - JVM halt suppressed", status, message);
                throw new EmbeddedKafkaExitException("halt", status, message);
            });
        }
    }

    /** Thrown instead of letting Kafka terminate the JVM. */
    public static final class EmbeddedKafkaExitException extends RuntimeException {
        EmbeddedKafkaExitException(String kind, int status, String message) {
            super("Kafka requested JVM " + kind + "(" + status + ")" + (message == null ? "" : ": " + message));
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static int pickFreePort(int... avoid) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                s.setReuseAddress(true);
                int port = s.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == port;
                }
                if (!clash) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found");
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}", dir, e);
        }
    }
}
