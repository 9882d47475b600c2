package cn.eport.sandbox.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What the system spends, read from outside it at the start and the end of a phase: database
 * commits (PostgreSQL's own count), records on every topic (the broker's end offsets), Ed25519
 * signatures and verifications (each service's {@code eport.signatures.*} meters), and CPU time per
 * part of the machine from {@code /proc}: the services' JVMs, PostgreSQL, the broker, the registry
 * simulator, this generator and the rest. In the one-JVM sandbox the broker and the registry
 * simulator run inside the services' JVM; their threads are told apart by name there.
 */
final class Resources implements AutoCloseable {

    /** Linux's clock ticks a second for /proc's CPU times. */
    private static final double TICKS = 100.0;
    private static final Pattern METER = Pattern.compile("^(eport_signatures_(made|verified)_total)(\\{[^}]*})? ([0-9.eE+]+)$",
            Pattern.MULTILINE);
    private static final Pattern SERVICE_JAR = Pattern.compile("services/([a-z-]+)/target/|/([a-z-]+)-0\\.1\\.0-SNAPSHOT-exec\\.jar");
    /** Thread names (as /proc cuts them, to 15 characters) of a Kafka broker running inside a JVM. */
    private static final List<String> BROKER_THREADS = List.of("data-plane-", "kafka-request-", "kafka-network-", "kafka-schedule",
            "kafka-log-", "raft-", "quorum-", "broker-", "controller-", "ExpirationReap", "group-coordina", "share-coordina",
            "transaction-st", "LogDirFailure", "ReplicaFetcher", "kafka-0-", "kafka-1-", "TxnMarkerSende", "metrics-reporte");
    private static final List<String> REGISTRY_THREADS = List.of("registry-simula", "HTTP-Dispatcher");

    /** One reading of every counter. */
    record Reading(long nanos, long commits, long kafkaRecords, long signatures, long verifications, Map<String, Double> cpuSeconds,
            Map<String, Long> residentKib) {
    }

    /** What happened between two readings. */
    record Spent(double seconds, long commits, long kafkaRecords, long signatures, long verifications, Map<String, Double> cpuSeconds) {

        double cpuTotal() {
            return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final PostgresFloor.Database database;
    private final Admin kafka;
    private final List<URI> metrics;
    private final String opsToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final long self = ProcessHandle.current().pid();

    Resources(PostgresFloor.Database database, Map<String, Object> kafkaClient, List<URI> metrics, String opsToken) {
        this.database = database;
        Properties admin = new Properties();
        admin.putAll(kafkaClient);
        this.kafka = Admin.create(admin);
        this.metrics = metrics;
        this.opsToken = opsToken;
    }

    Reading read() {
        Map<String, Double> cpu = new TreeMap<>();
        Map<String, Long> memory = new TreeMap<>();
        readProcesses(cpu, memory);
        long[] signatures = signatures();
        return new Reading(System.nanoTime(), commits(), kafkaRecords(), signatures[0], signatures[1], cpu, memory);
    }

    static Spent between(Reading from, Reading to) {
        Map<String, Double> cpu = new TreeMap<>();
        to.cpuSeconds().forEach((part, seconds) -> cpu.put(part, Math.max(0, seconds - from.cpuSeconds().getOrDefault(part, 0.0))));
        return new Spent((to.nanos() - from.nanos()) / 1e9, to.commits() - from.commits(), to.kafkaRecords() - from.kafkaRecords(),
                to.signatures() - from.signatures(), to.verifications() - from.verifications(), cpu);
    }

    /** The database's size on disk and the broker's logs, in bytes. */
    Map<String, Long> storage() {
        Map<String, Long> sizes = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet size = statement.executeQuery("SELECT pg_database_size(current_database())")) {
            size.next();
            sizes.put("PostgreSQL database", size.getLong(1));
        } catch (SQLException e) {
            sizes.put("PostgreSQL database", -1L);
        }
        try {
            Collection<Integer> brokers = kafka.describeCluster().nodes().get().stream().map(node -> node.id()).toList();
            long logs = kafka.describeLogDirs(brokers).allDescriptions().get().values().stream()
                    .flatMap(dirs -> dirs.values().stream())
                    .flatMap(dir -> dir.replicaInfos().values().stream())
                    .mapToLong(replica -> replica.size()).sum();
            sizes.put("Kafka logs", logs);
        } catch (ExecutionException e) {
            sizes.put("Kafka logs", -1L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sizes;
    }

    private long commits() {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // Statistics reach the view when a backend reports them (about once a second), not at each commit.
            try (ResultSet commits = statement.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                commits.next();
                return commits.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's commit count: " + e.getMessage(), e);
        }
    }

    private long kafkaRecords() {
        try {
            Set<String> topics = kafka.listTopics().names().get();
            Map<String, TopicDescription> descriptions = kafka.describeTopics(topics).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> latest = descriptions.values().stream()
                    .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                    .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = kafka.listOffsets(latest).all().get();
            return offsets.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the topics' end offsets: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Signatures made and verified, summed over every service that answers. */
    private long[] signatures() {
        long[] sums = new long[2];
        for (URI uri : metrics) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + opsToken).GET().build(), HttpResponse.BodyHandlers.ofString());
                Matcher meter = METER.matcher(response.body());
                while (meter.find()) {
                    sums[meter.group(2).equals("made") ? 0 : 1] += (long) Double.parseDouble(meter.group(4));
                }
            } catch (IOException e) {
                // A service that is down has spent nothing that can be read; its count comes back with it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return sums;
    }

    private void readProcesses(Map<String, Double> cpu, Map<String, Long> memory) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    readProcess(process, cpu, memory);
                } catch (IOException | RuntimeException e) {
                    // The process ended while it was read.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc: " + e.getMessage(), e);
        }
    }

    private void readProcess(Path process, Map<String, Double> cpu, Map<String, Long> memory) throws IOException {
        long pid = Long.parseLong(process.getFileName().toString());
        String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        String[] stat = stat(process.resolve("stat"));
        String name = stat[0];
        String part = partOf(pid, name, command);
        if (part.equals("sandbox")) {
            // The one-JVM sandbox: the broker and the registry simulator are threads of the services' JVM.
            try (Stream<Path> threads = Files.list(process.resolve("task"))) {
                for (Path thread : threads.toList()) {
                    try {
                        String[] threadStat = stat(thread.resolve("stat"));
                        String threadName = threadStat[0];
                        String threadPart = BROKER_THREADS.stream().anyMatch(threadName::startsWith) ? "broker"
                                : REGISTRY_THREADS.stream().anyMatch(threadName::startsWith) ? "registries" : "services";
                        cpu.merge(threadPart, cpuSeconds(threadStat), Double::sum);
                    } catch (IOException | RuntimeException e) {
                        // The thread ended while it was read.
                    }
                }
            }
            part = "services";
        } else {
            cpu.merge(part, cpuSeconds(stat), Double::sum);
        }
        memory.merge(part.equals("services") ? serviceName(command) : part, residentKib(process), Long::sum);
    }

    private String partOf(long pid, String name, String command) {
        if (pid == self) {
            return "load generator";
        }
        if (name.equals("postgres")) {
            return "postgres";
        }
        if (command.contains("StandaloneKafka") || command.contains("kafka.Kafka")) {
            return "broker";
        }
        if (command.contains("MultiProcessSandbox")) {
            return "registries";
        }
        boolean sandboxJar = command.contains("sandbox-0.1.0-SNAPSHOT-exec.jar");
        if (command.contains("java") && SERVICE_JAR.matcher(command).find() && !sandboxJar) {
            return "services";
        }
        if (command.contains("java") && sandboxJar) {
            return "sandbox";
        }
        return "other";
    }

    private static String serviceName(String command) {
        Matcher jar = SERVICE_JAR.matcher(command);
        while (jar.find()) {
            String name = jar.group(1) != null ? jar.group(1) : jar.group(2);
            if (!name.equals("sandbox")) {
                return name;
            }
        }
        return "sandbox (every service, broker, registries)";
    }

    /** The name and the fields after it of a /proc stat line (the name may hold spaces and parentheses). */
    private static String[] stat(Path file) throws IOException {
        String line = Files.readString(file);
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        List<String> fields = new ArrayList<>();
        fields.add(line.substring(open + 1, close));
        fields.addAll(List.of(line.substring(close + 2).trim().split(" ")));
        return fields.toArray(String[]::new);
    }

    /** utime + stime: fields 14 and 15 of the stat line, 12 and 13 after the name and state here. */
    private static double cpuSeconds(String[] stat) {
        return (Long.parseLong(stat[12]) + Long.parseLong(stat[13])) / TICKS;
    }

    private static long residentKib(Path process) throws IOException {
        for (String line : Files.readAllLines(process.resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    @Override
    public void close() {
        kafka.close(Duration.ofSeconds(2));
    }
}
