package cn.eport.sandbox.load;

import cn.eport.localinfra.KafkaAccess;
import cn.eport.localinfra.KafkaCredentials;
import cn.eport.sandbox.Sandbox;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.core.NestedExceptionUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator: enterprises apply through intake's REST API at a fixed offered rate whatever the
 * answers do (an open model: each submission is due at its time, and its latency counts from then, so a
 * slow system cannot hide its slowness by slowing the generator), the telecom counter registers each
 * application all six agencies approved, and every application is followed on the verdict topics and
 * {@code eport.cards} to its sixth verdict and its card set. Latencies go into HdrHistograms.
 *
 * <p>Before the load, it measures the PostgreSQL floor on the same database ({@link PostgresFloor}) and
 * gives every result as a ratio to it. Per application it reports database commits, Kafka records,
 * signatures and verifications, and the CPU of each part of the machine ({@link Resources}).
 *
 * <p>It drives a running system: the one-JVM sandbox or the multi-process system, both on the same
 * ports (start either with {@code EPORT_DEMO=off}). Modes:
 * <ul>
 * <li>{@code --rate R --seconds S}: one phase at R applications a second (default 300 for 60 s), after
 *     {@code --warm-up} seconds (45) at {@code --warm-up-rate} (R, at most 40/s), unmeasured;</li>
 * <li>{@code --sweep R1,R2,...}: a phase of {@code --seconds} per rate, each drained before the next;
 *     it reports the highest rate whose backlog did not grow;</li>
 * <li>{@code --backlog N}: with intake in batch mode ({@code EPORT_INTAKE_RELEASE_MODE=BATCH}), submits N
 *     applications at {@code --rate}, releases them at once ({@code POST /api/releases}) and measures the
 *     drain to verdicts and cards, with the database's and the broker's size and every process's memory;
 *     {@code --rounds K} repeats it, each round on top of the applications the earlier ones left;</li>
 * </ul>
 * Other options: {@code --intake}, {@code --telecom} (URLs), {@code --kafka}, {@code --db}, {@code --db-user},
 * {@code --db-password}, {@code --metrics} (first-last port on localhost whose {@code /actuator/prometheus}
 * is read, 8080-8089), {@code --floor-seconds} (10, 0 to skip), {@code --drain} (seconds to wait for the
 * last verdicts, 120), {@code --report} (a file the result table is appended to), {@code --label}.
 *
 * <pre>java -Dloader.main=cn.eport.sandbox.load.LoadGenerator -cp platform/sandbox/target/sandbox-0.1.0-SNAPSHOT-exec.jar \
 *   org.springframework.boot.loader.launch.PropertiesLauncher --rate 300 --seconds 60</pre>
 */
public final class LoadGenerator {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ACCOUNTS = 64;
    /** Submissions in flight at most; past that an arrival waits for a free slot, and its wait counts. */
    private static final int OUTSTANDING = 4096;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Options options;
    private final HttpClient http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService retries;
    private final Semaphore outstanding = new Semaphore(OUTSTANDING);
    private final List<String> applicantTokens = new ArrayList<>();
    private final String telecomToken = DevTokens.telecom("telecom-load-01");
    private final String opsToken = DevTokens.ops("ops-load-01");
    private final List<Form> forms = new ArrayList<>();
    private final AtomicInteger networkCards = new AtomicInteger();
    private final Flights flights;
    private final Resources resources;
    private final PostgresFloor.Database database;
    private final List<String> report = new ArrayList<>();

    /** One sample enterprise's form, serialised once. */
    private record Form(byte[] body, String organisationCode) {
    }

    private LoadGenerator(Options options) throws IOException {
        this.options = options;
        AtomicInteger threads = new AtomicInteger();
        this.httpThreads = Executors.newFixedThreadPool(4, r -> daemon(r, "load-http-" + threads.incrementAndGet()));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(httpThreads).build();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "load-retry"));
        for (int i = 0; i < ACCOUNTS; i++) {
            applicantTokens.add(DevTokens.applicant("load-enterprise-%04d".formatted(i)));
        }
        for (SampleEnterprise enterprise : SampleData.enterprises()) {
            if (enterprise.fate() == SampleEnterprise.Fate.CLEAN) {
                forms.add(new Form(JSON.writeValueAsBytes(enterprise.applicationForm()), enterprise.organisationCode()));
            }
        }
        this.database = new PostgresFloor.Database(options.text("db"), options.text("db-user"), options.text("db-password"));
        List<URI> metrics = new ArrayList<>();
        String[] ports = options.text("metrics").split("-");
        for (int port = Integer.parseInt(ports[0]); port <= Integer.parseInt(ports[ports.length - 1]); port++) {
            metrics.add(URI.create("http://localhost:" + port + "/actuator/prometheus"));
        }
        Map<String, Object> kafka = new HashMap<>(kafkaCredentials(options.text("kafka-credentials")).clientProperties(KafkaAccess.ADMIN));
        kafka.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.text("kafka"));
        this.resources = new Resources(database, kafka, metrics, opsToken);
        this.flights = new Flights(kafka, this::registerAtTelecom);
    }

    /**
     * The broker's passwords from {@code file}, or else from the system started last on this machine:
     * the multi-process system keeps them beside its broker's data, the sandbox writes them at start.
     */
    private static KafkaCredentials kafkaCredentials(String file) throws IOException {
        if (!file.isEmpty()) {
            return KafkaCredentials.read(Path.of(file));
        }
        Path newest = null;
        for (Path candidate : List.of(KafkaCredentials.fileFor(Path.of("target/eport-processes/data/kafka")), Sandbox.KAFKA_CREDENTIALS)) {
            if (Files.exists(candidate) && (newest == null
                    || Files.getLastModifiedTime(candidate).compareTo(Files.getLastModifiedTime(newest)) > 0)) {
                newest = candidate;
            }
        }
        if (newest == null) {
            throw new IllegalStateException("No Kafka credentials found: start the sandbox or the multi-process system first,"
                    + " or name the file with --kafka-credentials");
        }
        return KafkaCredentials.read(newest);
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        LoadGenerator generator = new LoadGenerator(options);
        int exit;
        try {
            exit = generator.run();
        } finally {
            generator.close();
        }
        System.exit(exit);
    }

    private int run() throws Exception {
        print("Load generator against %s (intake %s, Kafka %s, %s), %d cores", options.text("label"), options.text("intake"),
                options.text("kafka"), options.text("db"), Runtime.getRuntime().availableProcessors());
        print("Applications already in the system: %,d", applicationsInSystem());
        PostgresFloor.Floor floor = null;
        int floorSeconds = options.number("floor-seconds");
        if (floorSeconds > 0) {
            print("Measuring the PostgreSQL floor on that database: %d s each, 8 clients ...", floorSeconds);
            floor = new PostgresFloor(database).measure(Duration.ofSeconds(floorSeconds));
            print("Floor: one event per transaction %,.0f transactions/s (commit %.2f ms); 100 per transaction %,.0f events/s",
                    floor.single().transactionsPerSecond(), floor.single().meanCommitMillis(), floor.batched().eventsPerSecond());
            report.add("PostgreSQL floor (8 clients, inbox + outbox row per event): %,.0f transactions/s with one event each, %,.0f events/s with 100 per transaction"
                    .formatted(floor.single().transactionsPerSecond(), floor.batched().eventsPerSecond()));
        }
        int exit;
        if (options.has("backlog")) {
            exit = 0;
            // Each round leaves its applications in the system: the rounds show whether the drain slows as history grows.
            for (int round = 1; round <= options.number("rounds"); round++) {
                exit = Math.max(exit, backlog(options.number("backlog"), floor, round));
            }
        } else if (options.has("sweep")) {
            exit = sweep(floor);
        } else {
            exit = fixedRate(floor);
        }
        String table = String.join("\n", report);
        System.out.println("\n" + table + "\n");
        if (options.has("report")) {
            Path file = Path.of(options.text("report"));
            Files.writeString(file, "\n## " + Instant.now() + " " + options.text("label") + " " + String.join(" ", options.given) + "\n\n"
                    + table + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            print("Appended to %s", file.toAbsolutePath());
        }
        return exit;
    }

    // ---------------------------------------------------------------- modes

    private int fixedRate(PostgresFloor.Floor floor) throws Exception {
        double rate = options.decimal("rate");
        warmUp(rate);
        Flights.Phase phase = new Flights.Phase("%.0f/s".formatted(rate));
        Resources.Reading before = resources.read();
        Step step = drive(phase, rate, Duration.ofSeconds(options.number("seconds")), true);
        boolean drained = drain(phase);
        Resources.Spent spent = Resources.between(before, resources.read());
        header();
        row(phase, rate, step, spent, floor);
        details(phase, spent);
        return drained ? 0 : 1;
    }

    private int sweep(PostgresFloor.Floor floor) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (String rate : options.text("sweep").split(",")) {
            rates.add(Double.parseDouble(rate));
        }
        warmUp(rates.get(0));
        header();
        double highest = 0;
        List<String> cpu = new ArrayList<>();
        for (double rate : rates) {
            Flights.Phase phase = new Flights.Phase("%.0f/s".formatted(rate));
            Resources.Reading before = resources.read();
            Step step = drive(phase, rate, Duration.ofSeconds(options.number("seconds")), true);
            boolean drained = drain(phase);
            Resources.Spent spent = Resources.between(before, resources.read());
            row(phase, rate, step, spent, floor);
            cpu.add("%.0f/s: %s".formatted(rate, cpuSplit(spent)));
            if (step.keptUp() && drained) {
                highest = rate;
            } else {
                break;
            }
        }
        report.add("");
        report.add("CPU per step, from its start to its drain, %% of one core (the machine has %d):".formatted(
                Runtime.getRuntime().availableProcessors()));
        cpu.forEach(line -> report.add("- " + line));
        report.add("");
        report.add("Highest offered rate whose backlog did not grow: %s applications/s%s".formatted(
                highest == 0 ? "none of those tried" : "%.0f".formatted(highest),
                floor == null ? "" : " (%.3f of the floor's single-event transactions/s)".formatted(highest / floor.single().transactionsPerSecond())));
        return highest > 0 ? 0 : 1;
    }

    private int backlog(int count, PostgresFloor.Floor floor, int round) throws Exception {
        Flights.Phase phase = new Flights.Phase("backlog round %d of %,d".formatted(round, count));
        long history = applicationsInSystem();
        Map<String, Long> storageBefore = resources.storage();
        print("Submitting %,d applications at %.0f/s; intake must hold them (batch mode) ...", count, options.decimal("rate"));
        drive(phase, options.decimal("rate"), Duration.ofMillis((long) (count * 1000 / options.decimal("rate"))), true);
        while (phase.acceptedCount.get() + phase.refused.get() < phase.offered.get()) {
            Thread.sleep(200);
        }
        if (phase.verdictsComplete.get() > phase.acceptedCount.get() / 100) {
            print("Intake released them as they came: start it with EPORT_INTAKE_RELEASE_MODE=BATCH for a backlog");
            return 2;
        }
        Resources.Reading before = resources.read();
        long release = System.nanoTime();
        flights.restartClocks(release);
        HttpResponse<String> released = http.send(HttpRequest.newBuilder(URI.create(options.text("intake") + "/api/releases"))
                .header("Authorization", "Bearer " + opsToken).timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        print("Released: %s %s after %.1f s", released.statusCode(), released.body(), (System.nanoTime() - release) / 1e9);
        boolean drained = drain(phase, Duration.ofMinutes(60));
        Resources.Reading after = resources.read();
        Resources.Spent spent = Resources.between(before, after);
        double toVerdicts = (phase.lastVerdictNanos() - release) / 1e9;
        double toCards = (phase.lastCardsNanos() - release) / 1e9;
        report.add("");
        report.add("Round %d, with %,d applications in the system before it: a backlog of %,d accepted applications released at once: all six verdicts for %,d in %.1f s (%.0f/s), card sets for %,d in %.1f s (%.0f/s)"
                .formatted(round, history, phase.acceptedCount.get(), phase.verdictsComplete.get(), toVerdicts, phase.verdictsComplete.get() / toVerdicts,
                        phase.cardsComplete.get(), toCards, phase.cardsComplete.get() / toCards));
        if (floor != null) {
            report.add("  %.3f of the floor's single-event transactions/s; drained in %.2f of the 15-minute target"
                    .formatted(phase.verdictsComplete.get() / toVerdicts / floor.single().transactionsPerSecond(), toVerdicts / 900));
        }
        Map<String, Long> storage = resources.storage();
        storage.forEach((what, bytes) -> report.add("  %s: %,.1f MB before the round, %,.1f MB after it, %,.0f bytes per application of the round"
                .formatted(what, storageBefore.get(what) / 1e6, bytes / 1e6, (bytes - storageBefore.get(what)) / (double) Math.max(1, phase.acceptedCount.get()))));
        // Resident sizes; PostgreSQL's are summed over its processes, which share their buffers, so they count those more than once.
        after.residentKib().forEach((process, kib) -> report.add("  memory of %s: %,d MiB resident".formatted(process, kib / 1024)));
        details(phase, spent);
        return drained ? 0 : 1;
    }

    // ---------------------------------------------------------------- driving

    /**
     * Runs the code paths hot before anything is measured, at a rate a cold JVM keeps up with
     * ({@code --warm-up-rate}, by default the measured rate but at most 40/s): warming up at the
     * measured rate itself would leave a backlog that the first measured phase inherits.
     */
    private void warmUp(double measuredRate) throws InterruptedException {
        int seconds = options.number("warm-up");
        if (seconds > 0) {
            double rate = options.has("warm-up-rate") ? options.decimal("warm-up-rate") : Math.min(40, measuredRate);
            Flights.Phase phase = new Flights.Phase("warm-up");
            drive(phase, rate, Duration.ofSeconds(seconds), false);
            drain(phase);
        }
    }

    /** What the offered window showed: the rate intake accepted and whether the backlog stayed level. */
    private record Step(double seconds, double acceptedPerSecond, double cardSetsPerSecond, long backlogAtEnd, double backlogSlope,
            boolean keptUp) {
    }

    /**
     * Submits at {@code rate} for {@code duration}, each submission at its due time, and prints
     * progress every 5 s. The backlog (accepted, not yet with its card set) is sampled every second.
     */
    private Step drive(Flights.Phase phase, double rate, Duration duration, boolean measured) {
        long count = Math.round(rate * duration.toMillis() / 1000.0);
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        long nextProgress = start + 5_000_000_000L;
        long nextSample = start + 1_000_000_000L;
        List<long[]> backlog = new ArrayList<>();
        long cardsAtStart = phase.cardsComplete.get();
        print("%s: %,d applications at %.0f/s over %d s%s", phase.name, count, rate, duration.toSeconds(), measured ? "" : " (unmeasured)");
        for (long n = 0; n < count; n++) {
            long due = start + n * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
            submit(phase, due, (int) (n % Integer.MAX_VALUE));
            long now = System.nanoTime();
            if (now >= nextSample) {
                nextSample += 1_000_000_000L;
                backlog.add(new long[] {now - start, phase.acceptedCount.get() - phase.cardsComplete.get() - phase.rejectedCount.get()});
            }
            if (now >= nextProgress) {
                nextProgress += 5_000_000_000L;
                progress(phase, start);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long backlogAtEnd = phase.acceptedCount.get() - phase.cardsComplete.get() - phase.rejectedCount.get();
        // Backlog growth over the window's second half, in applications per second: near zero when the system keeps up.
        double slope = slope(backlog.subList(backlog.size() / 2, backlog.size()));
        // The backlog holds what is on its way (rate times latency); it is growing when the system falls behind.
        boolean keptUp = slope < Math.max(2, rate * 0.02);
        return new Step(seconds, phase.acceptedCount.get() / seconds, (phase.cardsComplete.get() - cardsAtStart) / seconds,
                backlogAtEnd, slope, keptUp);
    }

    private void submit(Flights.Phase phase, long due, int n) {
        phase.offered.incrementAndGet();
        outstanding.acquireUninterruptibly();
        Form form = forms.get(n % forms.size());
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.text("intake") + "/api/applications"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + applicantTokens.get(n % applicantTokens.size()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        answer.whenComplete((response, failure) -> {
            outstanding.release();
            long now = System.nanoTime();
            if (failure != null) {
                phase.refused.incrementAndGet();
                phase.failed("submit " + NestedExceptionUtils.getMostSpecificCause(failure).getClass().getSimpleName());
            } else if (response.statusCode() == 201) {
                JsonNode body = JSON.readTree(response.body());
                flights.accepted(body.path("applicationId").asString(),
                        new Flights.Flight(phase, due, body.path("slipNumber").asString(), form.organisationCode()), now);
            } else {
                phase.refused.incrementAndGet();
                phase.failed("submit " + response.statusCode());
            }
        });
    }

    /** The counter clerk registers the enterprise's 17999 card once all six approved; tried again while telecom has not read it yet. */
    private void registerAtTelecom(Flights.Flight flight) {
        registerAtTelecom(flight, "17999%06d".formatted(networkCards.incrementAndGet() % 1_000_000), 1);
    }

    private void registerAtTelecom(Flights.Flight flight, String networkCard, int attempt) {
        String body = "{\"slipNumber\":\"%s\",\"enterpriseCode\":\"%s\",\"networkCardNumber\":\"%s\"}"
                .formatted(flight.slipNumber, flight.organisationCode, networkCard);
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.text("telecom") + "/api/registrations"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + telecomToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            boolean done = failure == null && (response.statusCode() == 201 || response.statusCode() == 409);
            if (done) {
                return;
            }
            if (attempt < 20 && (failure != null || response.statusCode() == 404 || response.statusCode() >= 500)) {
                retries.schedule(() -> registerAtTelecom(flight, networkCard, attempt + 1), 500, TimeUnit.MILLISECONDS);
            } else {
                flight.phase.telecomFailures.incrementAndGet();
                flight.phase.failed("telecom " + (failure != null ? NestedExceptionUtils.getMostSpecificCause(failure).getClass().getSimpleName()
                        : response.statusCode() + " " + response.body()));
            }
        });
    }

    /** Waits until every accepted application has its verdicts (or a rejection) and its card set, or the drain time is up. */
    private boolean drain(Flights.Phase phase) throws InterruptedException {
        return drain(phase, Duration.ofSeconds(options.number("drain")));
    }

    private boolean drain(Flights.Phase phase, Duration patience) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        long nextProgress = start + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean answered = phase.acceptedCount.get() + phase.refused.get() >= phase.offered.get();
            boolean done = phase.verdictsComplete.get() + phase.rejectedCount.get() >= phase.acceptedCount.get()
                    && phase.cardsComplete.get() + phase.telecomFailures.get() >= phase.verdictsComplete.get();
            if (answered && done) {
                return true;
            }
            Thread.sleep(100);
            if (System.nanoTime() >= nextProgress) {
                nextProgress += 5_000_000_000L;
                progress(phase, start);
            }
        }
        print("%s: not drained within %d s: %,d accepted, %,d with all verdicts, %,d rejected, %,d card sets", phase.name,
                patience.toSeconds(), phase.acceptedCount.get(), phase.verdictsComplete.get(), phase.rejectedCount.get(),
                phase.cardsComplete.get());
        return false;
    }

    private void progress(Flights.Phase phase, long start) {
        Histogram interval = phase.drain();
        print("  %6.1f s  offered %,9d  accepted %,9d  six verdicts %,9d  card sets %,9d  in flight %,7d  verdicts p99 (last 5 s) %s",
                (System.nanoTime() - start) / 1e9, phase.offered.get(), phase.acceptedCount.get(), phase.verdictsComplete.get(),
                phase.cardsComplete.get(), phase.inFlight(), interval.getTotalCount() == 0 ? "-"
                        : "%.3f s".formatted(interval.getValueAtPercentile(99) / 1e6));
    }

    // ---------------------------------------------------------------- the report

    private void header() {
        report.add("| offered/s | accepted/s | card sets/s | backlog grew | six verdicts p50 / p90 / p99 / p99.9 / max (s) | card set p50 / p99 / max (s) "
                + "| commits/app | Kafka records/app | signatures/app | verifications/app | CPU ms/app | apps/s ÷ floor tx/s | commits/s ÷ floor tx/s |");
        report.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    }

    private void row(Flights.Phase phase, double rate, Step step, Resources.Spent spent, PostgresFloor.Floor floor) {
        phase.drain();
        long apps = Math.max(1, phase.cardsComplete.get() + phase.rejectedCount.get());
        Histogram v = phase.verdictsTotal;
        Histogram c = phase.cardsTotal;
        report.add("| %.0f | %.0f | %.0f | %s (%.1f/s, %,d at end) | %s / %s / %s / %s / %s | %s / %s / %s | %.1f | %.1f | %.1f | %.1f | %.2f | %s | %s |".formatted(
                rate, step.acceptedPerSecond(), step.cardSetsPerSecond(), step.keptUp() ? "no" : "yes", step.backlogSlope(), step.backlogAtEnd(),
                s(v, 50), s(v, 90), s(v, 99), s(v, 99.9), s(v, 100), s(c, 50), s(c, 99), s(c, 100),
                spent.commits() / (double) apps, spent.kafkaRecords() / (double) apps, spent.signatures() / (double) apps,
                spent.verifications() / (double) apps, spent.cpuTotal() * 1000 / apps,
                floor == null ? "-" : "%.3f".formatted(step.cardSetsPerSecond() / floor.single().transactionsPerSecond()),
                floor == null ? "-" : "%.3f".formatted(spent.commits() / spent.seconds() / floor.single().transactionsPerSecond())));
        print("%s: %s", phase.name, report.get(report.size() - 1));
    }

    private void details(Flights.Phase phase, Resources.Spent spent) {
        report.add("");
        report.add("CPU over the phase (%.0f s, %% of one core): %s".formatted(spent.seconds(), cpuSplit(spent)));
        Histogram a = phase.acceptedTotal;
        report.add("Submit answered (201) p50 / p99 / max: %s / %s / %s s".formatted(s(a, 50), s(a, 99), s(a, 100)));
        if (!phase.failures.isEmpty()) {
            report.add("Failures: " + phase.failures);
        }
    }

    private static String cpuSplit(Resources.Spent spent) {
        StringBuilder split = new StringBuilder();
        spent.cpuSeconds().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(part -> split.append(split.isEmpty() ? "" : ", ")
                        .append("%s %.0f %%".formatted(part.getKey(), part.getValue() / spent.seconds() * 100)));
        return split.toString();
    }

    private static String s(Histogram histogram, double percentile) {
        if (histogram.getTotalCount() == 0) {
            return "-";
        }
        long micros = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return "%.3f".formatted(micros / 1e6);
    }

    private long applicationsInSystem() {
        try (var connection = database.connect(); var statement = connection.createStatement();
             var count = statement.executeQuery("SELECT count(*) FROM intake.applications")) {
            return count.next() ? Math.max(0, count.getLong(1)) : 0;
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static double slope(List<long[]> samples) {
        if (samples.size() < 2) {
            return 0;
        }
        double n = samples.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (long[] sample : samples) {
            double x = sample[0] / 1e9;
            double y = sample[1];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }

    private static void print(String format, Object... arguments) {
        System.out.printf(Locale.ROOT, "%s %s%n", Instant.now().toString().substring(11, 19), format.formatted(arguments));
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private void close() throws InterruptedException {
        flights.close();
        resources.close();
        retries.shutdownNow();
        httpThreads.shutdownNow();
    }

    /** The command line, {@code --name value} pairs over the defaults. */
    private static final class Options {

        private final Map<String, String> values = new LinkedHashMap<>();
        private final List<String> given = new ArrayList<>();

        static Options parse(String[] args) {
            Options options = new Options();
            options.values.putAll(Map.ofEntries(
                    Map.entry("label", "the local system"),
                    Map.entry("intake", "http://localhost:8080"),
                    Map.entry("telecom", "http://localhost:8088"),
                    Map.entry("kafka", "localhost:9092"),
                    Map.entry("kafka-credentials", ""),
                    Map.entry("db", "jdbc:postgresql://localhost:15432/eport"),
                    Map.entry("db-user", "eport"),
                    Map.entry("db-password", "eport"),
                    Map.entry("metrics", "8080-8089"),
                    Map.entry("rate", "300"),
                    Map.entry("seconds", "60"),
                    Map.entry("warm-up", "45"),
                    Map.entry("floor-seconds", "10"),
                    Map.entry("drain", "120"),
                    Map.entry("rounds", "1")));
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("options are --name value pairs; not understood: " + args[i]
                            + " (see the Javadoc of " + LoadGenerator.class.getName() + ")");
                }
                options.values.put(args[i].substring(2), args[i + 1]);
                options.given.add(args[i] + " " + args[i + 1]);
                i++;
            }
            return options;
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        String text(String name) {
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        int number(String name) {
            return Integer.parseInt(text(name));
        }

        double decimal(String name) {
            return Double.parseDouble(text(name));
        }
    }

    static {
        // The JDK's client would otherwise keep idle connections for 20 minutes and open many more under load.
        System.setProperty("jdk.httpclient.keepalive.timeout", "30");
    }
}
