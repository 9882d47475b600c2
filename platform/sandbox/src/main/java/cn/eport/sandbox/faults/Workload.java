package cn.eport.sandbox.faults;

import cn.eport.contracts.Agency;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The traffic of the fault matrix, as the joint review's users make it, over the services' REST APIs
 * only: enterprises apply at a fixed rate whatever the system is going through (an open model: an
 * arrival does not wait for the one before), a telecom clerk registers each approved application, each
 * agency's reviewers decide what is referred to them, a few rejected enterprises amend their form,
 * and a few withdraw. A request that meets a process that is down is tried again, with the same
 * {@code Idempotency-Key}, as a client would.
 *
 * <p>What an application's fate should be is known from the sample enterprise it is
 * ({@link SampleEnterprise.Fate}), so every application's end can be checked.
 */
final class Workload implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Workload.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long an arrival keeps trying to be accepted while intake or its database is away. */
    private static final Duration SUBMIT_PATIENCE = Duration.ofMinutes(3);
    private static final Duration RETRY = Duration.ofSeconds(2);

    /** What the matrix does with an application beyond letting it take its course. */
    enum Plan {
        NONE,
        /** Withdrawn a few seconds after submission. */
        WITHDRAW,
        /** Rejected by customs for an operator's revoked broker certificate: amended without that operator. */
        AMEND
    }

    /** One enterprise applying, and everything the matrix did for it. Fields written by one action at a time. */
    static final class Arrival {
        final int number;
        final String account;
        final String idempotencyKey = UUID.randomUUID().toString();
        final SampleEnterprise enterprise;
        final Plan plan;
        final Instant due;
        volatile Instant firstAttempt;
        volatile Instant acceptedAt;
        volatile UUID applicationId;
        volatile String slipNumber;
        volatile int submitAttempts;
        volatile String refusal;
        volatile boolean gaveUp;
        volatile boolean telecomRegistered;
        volatile String telecomProblem;
        volatile boolean amended;
        volatile Instant amendDue;
        volatile Boolean withdrawn;
        volatile Instant withdrawDue;
        final Set<String> decided = ConcurrentHashMap.newKeySet();
        final Map<String, Instant> referralsSeen = new ConcurrentHashMap<>();
        volatile Instant nextAction = Instant.EPOCH;
        volatile boolean busy;

        Arrival(int number, String account, SampleEnterprise enterprise, Plan plan, Instant due) {
            this.number = number;
            this.account = account;
            this.enterprise = enterprise;
            this.plan = plan;
            this.due = due;
        }

        /** The state this application should end in. */
        String expected() {
            if (Boolean.TRUE.equals(withdrawn)) {
                return "WITHDRAWN";
            }
            return switch (enterprise.fate()) {
                case CLEAN, BUSINESS_LICENCE_EXPIRING, BUSINESS_LICENCE_NAME_DIFFERS, TRADE_CERTIFICATE_UNKNOWN -> "CARDS_ISSUED";
                case BROKER_CERTIFICATE_REVOKED -> plan == Plan.AMEND ? "CARDS_ISSUED" : "REJECTED";
                default -> "REJECTED";
            };
        }
    }

    private final Endpoints endpoints;
    private final TopicWatcher topics;
    private final Random random;
    private final List<SampleEnterprise> enterprises = SampleData.enterprises();
    private final List<Arrival> arrivals = new ArrayList<>();
    private final HttpClient http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService submitters;
    private final ExecutorService actions;
    private final ScheduledExecutorService followUp;
    private final String runId;
    private final String telecomToken = DevTokens.telecom("telecom-counter-01");
    private final Map<Agency, String> reviewerTokens = new EnumMap<>(Agency.class);
    private final AtomicInteger networkCards = new AtomicInteger(100_000);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private final Map<String, AtomicLong> responses = new ConcurrentHashMap<>();

    /** Where the services answer. */
    record Endpoints(Function<String, String> serviceUrl) {
    }

    Workload(Endpoints endpoints, TopicWatcher topics, Random random, String runId) {
        this.endpoints = endpoints;
        this.topics = topics;
        this.random = random;
        this.runId = runId;
        AtomicInteger threads = new AtomicInteger();
        this.httpThreads = Executors.newFixedThreadPool(8, r -> daemon(r, "fault-matrix-http-" + threads.incrementAndGet()));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .executor(httpThreads).build();
        // Enough threads that arrivals keep their times while requests hang on a service whose database is away.
        this.submitters = Executors.newScheduledThreadPool(48, r -> daemon(r, "fault-matrix-submit-" + threads.incrementAndGet()));
        this.actions = Executors.newFixedThreadPool(16, r -> daemon(r, "fault-matrix-act-" + threads.incrementAndGet()));
        this.followUp = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fault-matrix-follow-up"));
        for (Agency agency : Agency.values()) {
            reviewerTokens.put(agency, DevTokens.reviewer("reviewer-" + agency.id() + "-01", agency.id()));
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Plans {@code count} arrivals at {@code rate} a second from {@code start} and starts submitting
     * them and following them up. About 2 % of the clean ones withdraw; every customs rejection for a
     * revoked broker certificate with another operator to keep is amended.
     */
    void start(int count, double rate, Instant start) {
        for (int n = 1; n <= count; n++) {
            SampleEnterprise enterprise = enterprises.get(random.nextInt(enterprises.size()));
            Plan plan = Plan.NONE;
            if (enterprise.fate() == SampleEnterprise.Fate.CLEAN && random.nextInt(50) == 0) {
                plan = Plan.WITHDRAW;
            } else if (enterprise.fate() == SampleEnterprise.Fate.BROKER_CERTIFICATE_REVOKED && enterprise.operators().size() > 1) {
                plan = Plan.AMEND;
            }
            Instant due = start.plusMillis(Math.round((n - 1) * 1000 / rate));
            Arrival arrival = new Arrival(n, "fm-" + runId + "-" + n, enterprise, plan, due);
            arrivals.add(arrival);
            if (plan == Plan.WITHDRAW) {
                arrival.withdrawDue = due.plusMillis(2000 + random.nextInt(20_000));
            }
            submitters.schedule(() -> submit(arrival), Math.max(0, Duration.between(Instant.now(), due).toMillis()), TimeUnit.MILLISECONDS);
        }
        followUp.scheduleWithFixedDelay(this::followUp, 500, 500, TimeUnit.MILLISECONDS);
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Whether every arrival was either accepted or gave up. */
    boolean submissionsDone() {
        return arrivals.stream().allMatch(a -> a.applicationId != null || a.gaveUp || a.refusal != null);
    }

    Map<String, Long> responseCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        responses.forEach((key, count) -> counts.put(key, count.get()));
        return counts;
    }

    long requests() {
        return requests.get();
    }

    long failedRequests() {
        return failedRequests.get();
    }

    // ---------------------------------------------------------------- submission

    private void submit(Arrival arrival) {
        if (arrival.firstAttempt == null) {
            arrival.firstAttempt = Instant.now();
        }
        arrival.submitAttempts++;
        // A submission whose answer was lost may have been accepted: the topic says so.
        List<UUID> onTopic = topics.submittedBy(arrival.account);
        if (!onTopic.isEmpty() && arrival.submitAttempts > 1) {
            adopt(arrival, onTopic.get(0));
            return;
        }
        Optional<Answer> answer = send("submit", HttpRequest.newBuilder(URI.create(url("intake", "/api/applications")))
                .header("Authorization", "Bearer " + DevTokens.applicant(arrival.account))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", arrival.idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(arrival.enterprise.applicationForm()))));
        if (answer.isPresent() && answer.get().status() == 201) {
            JsonNode body = answer.get().json();
            arrival.applicationId = UUID.fromString(body.path("applicationId").asString());
            arrival.slipNumber = body.path("slipNumber").asString();
            arrival.acceptedAt = Instant.now();
            return;
        }
        if (answer.isPresent() && answer.get().status() >= 400 && answer.get().status() < 500) {
            arrival.refusal = answer.get().status() + " " + answer.get().body();
            log.warn("intake refused arrival {} ({}): {}", arrival.number, arrival.enterprise.name(), arrival.refusal);
            return;
        }
        if (Duration.between(arrival.firstAttempt, Instant.now()).compareTo(SUBMIT_PATIENCE) > 0) {
            arrival.gaveUp = true;
            log.warn("arrival {} not accepted after {} attempts over {} s", arrival.number, arrival.submitAttempts, SUBMIT_PATIENCE.toSeconds());
            return;
        }
        submitters.schedule(() -> submit(arrival), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void adopt(Arrival arrival, UUID id) {
        arrival.applicationId = id;
        arrival.slipNumber = topics.inspect(id, a -> a.slipNumber).orElse(null);
        arrival.acceptedAt = Instant.now();
        log.info("arrival {}: its answer was lost, but intake had accepted it as {}", arrival.number, id);
    }

    // ---------------------------------------------------------------- follow-up

    /** What the topics say an application needs next, read under the watcher's lock. */
    private record Next(String action, int revision, Agency agency) {
    }

    private void followUp() {
        try {
            Instant now = Instant.now();
            for (Arrival arrival : arrivals) {
                if (arrival.applicationId == null || arrival.busy || now.isBefore(arrival.nextAction)) {
                    continue;
                }
                Optional<Next> next = next(arrival, now);
                if (next.isPresent()) {
                    arrival.busy = true;
                    actions.execute(() -> {
                        try {
                            act(arrival, next.get());
                        } catch (RuntimeException e) {
                            log.warn("arrival {}: {} failed: {}", arrival.number, next.get().action(), e.toString());
                            arrival.nextAction = Instant.now().plus(RETRY);
                        } finally {
                            arrival.busy = false;
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            log.warn("follow-up: {}", e.toString());
        }
    }

    private Optional<Next> next(Arrival arrival, Instant now) {
        if (arrival.withdrawDue != null && arrival.withdrawn == null && now.isAfter(arrival.withdrawDue)) {
            return Optional.of(new Next("withdraw", 0, null));
        }
        return topics.inspect(arrival.applicationId, application -> {
            if (application.withdrawnAt != null || application.cardsIssued()) {
                return null;
            }
            int revision = application.revision;
            if (revision == 0) {
                return null;
            }
            for (Agency agency : Agency.values()) {
                Optional<TopicWatcher.Verdict> referral = application.referral(revision, agency);
                if (referral.isPresent() && application.finalVerdict(revision, agency).isEmpty()
                        && !arrival.decided.contains(revision + "/" + agency)) {
                    // A reviewer opens the case a little while after it appears in the queue.
                    Instant seen = arrival.referralsSeen.computeIfAbsent(revision + "/" + agency,
                            key -> now.plusMillis(1000 + random.nextInt(4000)));
                    if (now.isAfter(seen)) {
                        return new Next("review", revision, agency);
                    }
                }
            }
            if (application.rejected(revision)) {
                return arrival.plan == Plan.AMEND && !arrival.amended ? new Next("amend", revision, null) : null;
            }
            if (application.approvedByAll(revision) && !arrival.telecomRegistered && arrival.telecomProblem == null) {
                return new Next("telecom", revision, null);
            }
            return null;
        });
    }

    private void act(Arrival arrival, Next next) {
        switch (next.action()) {
            case "withdraw" -> withdraw(arrival);
            case "review" -> review(arrival, next.revision(), next.agency());
            case "amend" -> amend(arrival);
            case "telecom" -> registerAtTelecom(arrival);
            default -> throw new IllegalStateException(next.action());
        }
    }

    private void withdraw(Arrival arrival) {
        Optional<Answer> answer = send("withdraw", HttpRequest.newBuilder(
                        URI.create(url("intake", "/api/applications/" + arrival.applicationId + "/withdrawal")))
                .header("Authorization", "Bearer " + DevTokens.applicant(arrival.account))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (answer.isPresent() && answer.get().status() == 200) {
            arrival.withdrawn = true;
        } else if (answer.isPresent() && answer.get().status() == 409) {
            // Too late (the cards were issued), or an earlier attempt whose answer was lost went through.
            arrival.withdrawn = topics.inspect(arrival.applicationId, a -> a.withdrawnAt != null).orElse(false)
                    || answer.get().body().contains("WITHDRAWN");
        } else {
            arrival.nextAction = Instant.now().plus(RETRY);
        }
    }

    private void review(Arrival arrival, int revision, Agency agency) {
        String service = agency.id() + "-check";
        Optional<Answer> answer = send("review", HttpRequest.newBuilder(URI.create(url(service,
                        "/api/reviews/" + arrival.applicationId + "/" + revision + "/decision")))
                .header("Authorization", "Bearer " + reviewerTokens.get(agency))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"outcome\": \"APPROVED\"}")));
        if (answer.isPresent() && (answer.get().status() == 200 || answer.get().status() == 409)) {
            arrival.decided.add(revision + "/" + agency);
        } else {
            arrival.nextAction = Instant.now().plus(RETRY);
        }
    }

    private void amend(Arrival arrival) {
        SampleEnterprise e = arrival.enterprise;
        // The first operator's broker certificate is the revoked one: the enterprise takes that operator off Form 2.
        SampleEnterprise amended = new SampleEnterprise(e.name(), e.type(), e.uscc(), e.organisationCode(), e.businessRegistrationNumber(),
                e.taxRegistrationNumber(), e.customsRegistrationCode(), e.tradeCertificateNumber(), e.address(), e.legalRepresentative(),
                e.operators().subList(1, e.operators().size()), e.fate());
        Optional<Answer> answer = send("amend", HttpRequest.newBuilder(URI.create(url("intake", "/api/applications/" + arrival.applicationId)))
                .header("Authorization", "Bearer " + DevTokens.applicant(arrival.account))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(amended.applicationForm()))));
        if (answer.isPresent() && answer.get().status() == 200) {
            arrival.amended = true;
        } else {
            // 409 while intake has not yet read the rejection the topic already shows.
            arrival.nextAction = Instant.now().plus(RETRY);
        }
    }

    private void registerAtTelecom(Arrival arrival) {
        String slip = arrival.slipNumber != null ? arrival.slipNumber : topics.inspect(arrival.applicationId, a -> a.slipNumber).orElse(null);
        String body = JSON.writeValueAsString(Map.of("slipNumber", String.valueOf(slip), "enterpriseCode", arrival.enterprise.organisationCode(),
                "networkCardNumber", "17999" + (100_000 + arrival.number % 900_000)));
        Optional<Answer> answer = send("telecom", HttpRequest.newBuilder(URI.create(url("telecom", "/api/registrations")))
                .header("Authorization", "Bearer " + telecomToken)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", arrival.idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (answer.isPresent() && (answer.get().status() == 201 || answer.get().status() == 409 && answer.get().body().contains("registered already"))) {
            arrival.telecomRegistered = true;
        } else if (answer.isPresent() && answer.get().status() == 400) {
            arrival.telecomProblem = answer.get().body();
            log.warn("telecom refused arrival {}: {}", arrival.number, answer.get().body());
        } else {
            // 404: telecom has not read the application from eport.applications yet; or telecom is down.
            arrival.nextAction = Instant.now().plus(RETRY);
        }
    }

    // ---------------------------------------------------------------- HTTP

    record Answer(int status, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private String url(String service, String path) {
        return endpoints.serviceUrl().apply(service) + path;
    }

    private Optional<Answer> send(String what, HttpRequest.Builder request) {
        requests.incrementAndGet();
        try {
            HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            responses.computeIfAbsent(what + " " + response.statusCode(), key -> new AtomicLong()).incrementAndGet();
            return Optional.of(new Answer(response.statusCode(), response.body()));
        } catch (IOException e) {
            failedRequests.incrementAndGet();
            responses.computeIfAbsent(what + " " + e.getClass().getSimpleName(), key -> new AtomicLong()).incrementAndGet();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Asks intake for the application's status (as ops), for the final check. */
    Optional<Answer> status(UUID applicationId, String opsToken) {
        return send("status", HttpRequest.newBuilder(URI.create(url("intake", "/api/applications/" + applicationId)))
                .header("Authorization", "Bearer " + opsToken).GET());
    }

    /** GET with the ops token on any service: the dashboard's snapshot, a quarantine. */
    Optional<Answer> get(String service, String path, String opsToken) {
        return send("ops", HttpRequest.newBuilder(URI.create(url(service, path))).header("Authorization", "Bearer " + opsToken).GET());
    }

    /** POST with the ops token on any service: a quarantine's replay. */
    Optional<Answer> post(String service, String path, String opsToken) {
        return send("ops", HttpRequest.newBuilder(URI.create(url(service, path))).header("Authorization", "Bearer " + opsToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    /** Stops arriving and following up. */
    void stopFollowingUp() {
        submitters.shutdownNow();
        followUp.shutdownNow();
    }

    @Override
    public void close() {
        stopFollowingUp();
        actions.shutdownNow();
        httpThreads.shutdownNow();
    }

    static Set<String> terminal() {
        return new HashSet<>(List.of("CARDS_ISSUED", "REJECTED", "WITHDRAWN"));
    }
}
