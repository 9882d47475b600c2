package cn.eport.sandbox.faults;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import cn.eport.sandbox.processes.ProcessSettings;
import cn.eport.sandbox.processes.ProcessSystem;
import cn.eport.testsupport.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault matrix: the joint review as separate processes ({@link ProcessSystem}), N applications
 * streamed through intake's REST API at a fixed rate ({@link Workload}) and, meanwhile, every service
 * killed with kill -9 once, the broker and PostgreSQL restarted once, each registry away for a while,
 * thousands of duplicate records redelivered and poison of every kind injected ({@link FaultPlan}).
 * At the end every application is checked against intake's status API and the topics
 * ({@link TopicWatcher}), and a table is printed ({@link FaultReport}): accepted, in each final state,
 * stuck, lost; card sets issued twice, verdicts issued twice; dead letters, quarantined and replayed;
 * each process's restart-to-ready and ready-to-consuming times; each registry's return to its last
 * parked check decided; submit-to-cards times.
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * java -Dloader.main=cn.eport.sandbox.faults.FaultMatrix -cp platform/sandbox/target/sandbox-0.1.0-SNAPSHOT-exec.jar \
 *   org.springframework.boot.loader.launch.PropertiesLauncher --applications 2000 --rate 5
 * </pre>
 *
 * Options: {@code --applications N} (2000), {@code --rate R} (applications a second, 5), {@code --seed S}
 * (random), {@code --outage SECONDS} (60), {@code --duplicates N} (10000), {@code --short} (200
 * applications, three faults, a 20 s outage, 1,000 duplicates), {@code --home DIR} (where data and
 * logs go, {@code target/fault-matrix/<time>}), {@code --services DIR} ({@code services}), {@code --no-replay}
 * (leave quarantined records as they are at the end, rather than replaying them through each
 * service's {@code POST /api/quarantine/replay}). It starts its own system on free ports from the
 * built jars, and stops it at the end.
 */
public final class FaultMatrix {

    private static final Logger log = LoggerFactory.getLogger(FaultMatrix.class);
    private static final String OPS = DevTokens.ops("fault-matrix-ops");

    /** How one run is set up. */
    public record Options(int applications, double rate, long seed, Duration outage, int duplicates, boolean shortRun,
            Path home, Path servicesDirectory, boolean replay, Duration drainPatience) {

        public static Options parse(String[] args) {
            int applications = 2000;
            double rate = 5;
            long seed = new Random().nextLong();
            Duration outage = Duration.ofSeconds(60);
            int duplicates = 10_000;
            boolean shortRun = false;
            Path home = null;
            Path services = Path.of("services");
            boolean replay = true;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--applications" -> { applications = Integer.parseInt(value); i++; }
                    case "--rate" -> { rate = Double.parseDouble(value); i++; }
                    case "--seed" -> { seed = Long.parseLong(value); i++; }
                    case "--outage" -> { outage = Duration.ofSeconds(Long.parseLong(value)); i++; }
                    case "--duplicates" -> { duplicates = Integer.parseInt(value); i++; }
                    case "--home" -> { home = Path.of(value); i++; }
                    case "--services" -> { services = Path.of(value); i++; }
                    case "--no-replay" -> replay = false;
                    case "--short" -> {
                        shortRun = true;
                        applications = 200;
                        outage = Duration.ofSeconds(20);
                        duplicates = 1000;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --applications N, --rate R, "
                            + "--seed S, --outage SECONDS, --duplicates N, --short, --home DIR, --services DIR, --no-replay");
                }
            }
            if (home == null) {
                home = Path.of("target/fault-matrix/" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
            }
            return new Options(applications, rate, seed, outage, duplicates, shortRun, home, services, replay,
                    shortRun ? Duration.ofSeconds(90) : Duration.ofMinutes(4));
        }

        /** The short run of the test command: 200 applications at 5 a second, three faults, duplicates and poison. */
        public static Options shortRun(Path home, Path servicesDirectory, long seed) {
            return new Options(200, 5, seed, Duration.ofSeconds(20), 1000, true, home, servicesDirectory, true, Duration.ofSeconds(90));
        }
    }

    /** What happened to one fault, as it struck. */
    record Struck(FaultPlan.Fault fault, Instant at, ProcessSystem.Restart restart, Instant returnedAt,
            Map<UUID, Integer> pendingAtReturn, List<Poison.Dose> doses, Map<String, Integer> copiesByTopic, String problem) {
    }

    private FaultMatrix() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        FaultReport report = run(options);
        System.exit(report.result().clean() ? 0 : 1);
    }

    /** Runs the matrix, prints the table as it is ready, and returns it. */
    public static FaultReport run(Options options) {
        Instant began = Instant.now();
        Random random = new Random(options.seed());
        try {
            Files.createDirectories(options.home());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration stream = Duration.ofMillis(Math.round(options.applications() * 1000 / options.rate()));
        FaultPlan plan = options.shortRun() ? FaultPlan.shortRun(stream, options.outage(), options.duplicates())
                : FaultPlan.full(stream, options.outage(), options.duplicates(), random);
        log.info("Fault matrix: {} applications at {}/s (~{} s), seed {}, home {}; faults:\n  {}", options.applications(), options.rate(),
                stream.toSeconds(), options.seed(), options.home().toAbsolutePath(),
                String.join("\n  ", plan.faults().stream().map(Object::toString).toList()));
        ProcessSettings settings = ProcessSettings.onFreePorts(options.home(), options.servicesDirectory());
        try (ProcessSystem system = ProcessSystem.start(settings);
             TopicWatcher topics = new TopicWatcher(system.kafkaAdmin(), options.seed());
             ConsumerProgress progress = new ConsumerProgress(system.kafkaAdmin(), FaultReport.GROUPS);
             Workload workload = new Workload(new Workload.Endpoints(system::serviceUrl), topics, random, Long.toHexString(options.seed()));
             KafkaProducer<byte[], byte[]> producer = producer(system.kafkaAdmin())) {
            Instant streamStart = Instant.now().plusSeconds(2);
            workload.start(options.applications(), options.rate(), streamStart);
            List<Struck> struck = strike(plan, streamStart, system, topics, producer, random);
            log.info("Every fault has struck; waiting for the stream to end and every application to settle");
            drain(workload, topics, options.drainPatience());
            workload.stopFollowingUp();
            Map<String, String> replays = options.replay() ? replay(workload) : Map.of();
            FaultReport report = FaultReport.build(options, began, streamStart, plan, struck, system, topics, progress, workload, replays, OPS);
            System.out.println(report.text());
            Files.writeString(options.home().resolve("fault-matrix-report.txt"), report.text());
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strikes every fault at its time: restarts one after another on this thread, outages and traffic faults beside them. */
    private static List<Struck> strike(FaultPlan plan, Instant streamStart, ProcessSystem system, TopicWatcher topics,
            KafkaProducer<byte[], byte[]> producer, Random random) {
        List<Struck> struck = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger threads = new AtomicInteger();
        ScheduledExecutorService beside = Executors.newScheduledThreadPool(8, r -> {
            Thread thread = new Thread(r, "fault-matrix-fault-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<?>> pending = new ArrayList<>();
        try {
            for (FaultPlan.Fault fault : plan.faults()) {
                if (!fault.stopsAProcess()) {
                    long delay = Math.max(0, Duration.between(Instant.now(), streamStart.plus(fault.at())).toMillis());
                    pending.add(beside.schedule(() -> struck.add(strikeBeside(fault, system, topics, producer, random)), delay,
                            TimeUnit.MILLISECONDS));
                }
            }
            for (FaultPlan.Fault fault : plan.faults()) {
                if (fault.stopsAProcess()) {
                    sleepUntil(streamStart.plus(fault.at()));
                    struck.add(restart(fault, system));
                }
            }
            for (Future<?> future : pending) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a fault could not be struck", e.getCause());
        } finally {
            beside.shutdownNow();
        }
        List<Struck> inOrder = new ArrayList<>(struck);
        inOrder.sort((a, b) -> a.at().compareTo(b.at()));
        return inOrder;
    }

    private static Struck restart(FaultPlan.Fault fault, ProcessSystem system) {
        Instant at = Instant.now();
        log.info("Fault: {}", fault);
        try {
            ProcessSystem.Restart restart = switch (fault.kind()) {
                case KILL_SERVICE -> system.restart(fault.target(), ProcessSystem.StopMode.KILL, Duration.ofSeconds(2));
                case RESTART_BROKER -> system.restart(ProcessSystem.KAFKA, ProcessSystem.StopMode.KILL, Duration.ofSeconds(3));
                case RESTART_DATABASE -> system.restart(ProcessSystem.POSTGRES, ProcessSystem.StopMode.IMMEDIATE, Duration.ofSeconds(3));
                default -> throw new IllegalArgumentException(fault.toString());
            };
            log.info("{} ready again {} ms after its start", fault.target(), restart.startToReady().toMillis());
            return new Struck(fault, at, restart, null, Map.of(), List.of(), Map.of(), null);
        } catch (RuntimeException e) {
            log.error("Fault {} went wrong: {}", fault, e.toString());
            return new Struck(fault, at, null, null, Map.of(), List.of(), Map.of(), e.getMessage());
        }
    }

    private static Struck strikeBeside(FaultPlan.Fault fault, ProcessSystem system, TopicWatcher topics,
            KafkaProducer<byte[], byte[]> producer, Random random) {
        Instant at = Instant.now();
        log.info("Fault: {}", fault);
        try {
            return switch (fault.kind()) {
                case REGISTRY_OUTAGE -> outage(fault, at, system, topics);
                case DUPLICATES -> duplicates(fault, at, topics, producer);
                case POISON -> poison(fault, at, producer, random);
                default -> throw new IllegalArgumentException(fault.toString());
            };
        } catch (RuntimeException e) {
            log.error("Fault {} went wrong: {}", fault, e.toString(), e);
            return new Struck(fault, at, null, null, Map.of(), List.of(), Map.of(), e.toString());
        }
    }

    private static Struck outage(FaultPlan.Fault fault, Instant at, ProcessSystem system, TopicWatcher topics) {
        String admin = system.registriesUrl() + "/admin/outages/" + fault.target();
        // The simulator ends the outage by itself a little later, should this harness die meanwhile.
        registryAdmin(HttpRequest.newBuilder(URI.create(admin + "?seconds=" + (fault.length().toSeconds() + 30)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        sleepUntil(at.plus(fault.length()));
        registryAdmin(HttpRequest.newBuilder(URI.create(admin)).DELETE());
        Instant returned = Instant.now();
        Agency agency = Agency.ofId(fault.target());
        // Every application whose current revision this agency has not decided yet waits on it (parked, or queued behind parked ones).
        Map<UUID, Integer> pending = topics.inspectAll(all -> {
            Map<UUID, Integer> waiting = new HashMap<>();
            all.values().forEach(application -> {
                if (application.submittedBy != null && application.withdrawnAt == null && application.revision > 0
                        && application.firstVerdict(application.revision, agency).isEmpty()) {
                    waiting.put(application.id, application.revision);
                }
            });
            return waiting;
        });
        log.info("{} registry answers again; {} applications wait on its verdict", fault.target(), pending.size());
        return new Struck(fault, at, null, returned, pending, List.of(), Map.of(), null);
    }

    private static void registryAdmin(HttpRequest.Builder request) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 204) {
                throw new IllegalStateException("registry simulator answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Struck duplicates(FaultPlan.Fault fault, Instant at, TopicWatcher topics, KafkaProducer<byte[], byte[]> producer) {
        Map<String, Integer> byTopic = new ConcurrentHashMap<>();
        Map<String, Integer> cardCopies = new HashMap<>();
        for (TopicWatcher.Copy copy : topics.copies(fault.count())) {
            producer.send(copy.toRecord());
            byTopic.merge(copy.topic(), 1, Integer::sum);
            if (copy.topic().equals(Topics.CARDS)) {
                cardCopies.merge(copy.ceId(), 1, Integer::sum);
            }
        }
        producer.flush();
        Map<String, Integer> counts = new HashMap<>(byTopic);
        cardCopies.forEach((ceId, copies) -> counts.put("card:" + ceId, copies));
        log.info("Redelivered {} records: {}", byTopic.values().stream().mapToInt(Integer::intValue).sum(), byTopic);
        return new Struck(fault, at, null, null, Map.of(), List.of(), counts, null);
    }

    private static Struck poison(FaultPlan.Fault fault, Instant at, KafkaProducer<byte[], byte[]> producer, Random random) {
        List<Poison.Dose> doses = new Poison(random).everyKind();
        for (Poison.Dose dose : doses) {
            producer.send(dose.record());
        }
        producer.flush();
        log.info("Injected {} poison records", doses.size());
        return new Struck(fault, at, null, null, Map.of(), doses, Map.of(), null);
    }

    /**
     * Waits until the stream has been submitted and every accepted application has settled (cards,
     * withdrawn, or rejected with nothing more to do), or until nothing has settled for {@code patience}.
     */
    private static void drain(Workload workload, TopicWatcher topics, Duration patience) {
        Instant lastProgress = Instant.now();
        long lastUnsettled = Long.MAX_VALUE;
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(30));
        Instant lastReport = Instant.EPOCH;
        while (Instant.now().isBefore(giveUp)) {
            long unsettled = workload.arrivals().stream().filter(a -> !settled(a, topics)).count();
            if (Duration.between(lastReport, Instant.now()).toSeconds() >= 15) {
                lastReport = Instant.now();
                log.info("{} of {} applications not settled yet ({} accepted so far)", unsettled, workload.arrivals().size(),
                        workload.arrivals().stream().filter(a -> a.applicationId != null).count());
            }
            if (workload.submissionsDone() && unsettled == 0) {
                log.info("Every application has settled");
                return;
            }
            if (unsettled < lastUnsettled) {
                lastUnsettled = unsettled;
                lastProgress = Instant.now();
            } else if (workload.submissionsDone() && Duration.between(lastProgress, Instant.now()).compareTo(patience) > 0) {
                log.warn("{} applications did not settle; nothing moved for {} s", unsettled, patience.toSeconds());
                return;
            }
            sleep(Duration.ofSeconds(2));
        }
    }

    /** Whether the application has reached an end, by the topics: nothing more will happen to it. */
    static boolean settled(Workload.Arrival arrival, TopicWatcher topics) {
        if (arrival.applicationId == null) {
            return arrival.gaveUp || arrival.refusal != null;
        }
        if (arrival.telecomProblem != null) {
            return true;
        }
        return topics.inspect(arrival.applicationId, application -> {
            if (application.cardsIssued() || application.withdrawnAt != null) {
                return true;
            }
            boolean rejected = application.revision > 0 && application.rejected(application.revision);
            return rejected && (arrival.plan != Workload.Plan.AMEND || arrival.amended && application.revision > 1);
        }).orElse(false);
    }

    /** Replays every service's quarantine (POST /api/quarantine/replay, as ops), once the run is over. */
    private static Map<String, String> replay(Workload workload) {
        Map<String, String> outcomes = new java.util.LinkedHashMap<>();
        for (String service : ProcessSystem.SERVICES) {
            Optional<Workload.Answer> answer = workload.post(service, "/api/quarantine/replay", OPS);
            outcomes.put(service, answer.map(a -> a.status() + " " + a.body()).orElse("no answer"));
        }
        return outcomes;
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> kafkaClient) {
        Properties properties = new Properties();
        properties.putAll(kafkaClient);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // The oversized poison is close to the broker's 1 MiB limit; the producer's own default is exactly 1 MiB.
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return new KafkaProducer<>(properties);
    }

    static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            sleep(Duration.ofMillis(millis));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static ExecutorService pool(int threads, String name) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
