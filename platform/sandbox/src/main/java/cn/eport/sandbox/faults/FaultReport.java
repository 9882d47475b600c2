package cn.eport.sandbox.faults;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.Agency;
import cn.eport.sandbox.processes.ProcessEvent;
import cn.eport.sandbox.processes.ProcessSystem;
import cn.eport.sandbox.registries.SampleEnterprise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault matrix's verdict on one run: every application checked against intake's status API and
 * the topics, and the timings of every fault, as a table ({@link #text()}) and as numbers
 * ({@link #result()}).
 */
public final class FaultReport {

    /** Every consumer group of the joint review. */
    static final List<String> GROUPS = List.of("intake", "quality-check", "commerce-check", "tax-check", "trade-check", "forex-check",
            "customs-check", "card-issuance", "telecom", "dashboard", "dashboard-dead-letters");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> FINAL = Set.of("CARDS_ISSUED", "REJECTED", "WITHDRAWN");
    private static final int LISTED = 15;

    /**
     * The numbers of a run.
     *
     * @param lost     accepted by intake (201), but unknown to intake afterwards or never published on eport.applications
     * @param stuck    accepted and known, but not in a final state at the end (cards issued, rejected, withdrawn)
     * @param doubled  applications with card sets under two or more event ids on eport.cards
     * @param brokenDecisionLogs deciding services whose decision log's chain check ({@code GET /api/decision-log/check})
     *                 did not find it intact at the end, or did not answer
     */
    public record Result(int offered, int accepted, int notAccepted, Map<String, Integer> byStatus, int lost, int stuck, int wrongOutcome,
            int doubled, int verdictsIssuedTwice, int conflictingVerdicts, int duplicateApplications, long quarantined, long replayed,
            int brokenDecisionLogs) {

        /** The target of the matrix: nothing lost, nothing doubled, nothing stuck, every decision log intact. */
        public boolean clean() {
            return lost == 0 && doubled == 0 && stuck == 0 && brokenDecisionLogs == 0;
        }
    }

    private final Result result;
    private final String text;

    private FaultReport(Result result, String text) {
        this.result = result;
        this.text = text;
    }

    public Result result() {
        return result;
    }

    public String text() {
        return text;
    }

    static FaultReport build(FaultMatrix.Options options, Instant began, Instant streamStart, FaultPlan plan,
            List<FaultMatrix.Struck> struck, ProcessSystem system, TopicWatcher topics, ConsumerProgress progress, Workload workload,
            Map<String, String> replays, String opsToken) {
        StringBuilder out = new StringBuilder();
        List<Workload.Arrival> arrivals = workload.arrivals();
        Map<UUID, String> statuses = statuses(arrivals, topics, workload, opsToken);

        out.append(String.format("%n==================== Fault matrix ====================%n"));
        out.append(String.format("%d applications at %.1f/s, seed %d, %s; %s in all; home %s%n", options.applications(), options.rate(),
                options.seed(), options.shortRun() ? "short run" : "full matrix", seconds(Duration.between(began, Instant.now())),
                options.home().toAbsolutePath()));
        out.append("Faults: ").append(plan.faults().size()).append(" (")
                .append(String.valueOf(plan.faults().stream().map(f -> f.kind().name())
                        .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()))))
                .append(")\n");

        // ------------------------------------------------------------ applications
        int accepted = 0;
        int notAccepted = 0;
        int lost = 0;
        int stuck = 0;
        int wrong = 0;
        int lateWithdrawals = 0;
        int duplicateApplications = 0;
        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> lostLines = new ArrayList<>();
        List<String> stuckLines = new ArrayList<>();
        List<String> wrongLines = new ArrayList<>();
        List<String> lateWithdrawalLines = new ArrayList<>();
        List<String> notAcceptedLines = new ArrayList<>();
        for (Workload.Arrival arrival : arrivals) {
            List<UUID> onTopic = topics.submittedBy(arrival.account);
            if (onTopic.size() > 1) {
                duplicateApplications += onTopic.size() - 1;
            }
            if (arrival.applicationId == null) {
                notAccepted++;
                notAcceptedLines.add(String.format("    #%d %s: %s", arrival.number, arrival.enterprise.fate(),
                        arrival.refusal != null ? "refused: " + abbreviate(arrival.refusal, 200)
                                : "no answer after " + arrival.submitAttempts + " attempts" + (onTopic.isEmpty() ? "" : ", yet on the topic as " + onTopic)));
                continue;
            }
            accepted++;
            String status = statuses.getOrDefault(arrival.applicationId, "no answer");
            boolean published = topics.inspect(arrival.applicationId, a -> a.submittedBy != null).orElse(false);
            if (status.equals("404") || !published) {
                lost++;
                lostLines.add(String.format("    #%d %s: intake says %s; %s", arrival.number, arrival.applicationId, status,
                        published ? "on eport.applications" : "never on eport.applications"));
                continue;
            }
            byStatus.merge(status, 1, Integer::sum);
            if (!FINAL.contains(status)) {
                stuck++;
                stuckLines.add(describe(arrival, status, topics));
            } else if (status.equals("CARDS_ISSUED") && arrival.expected().equals("WITHDRAWN") && cardsDecidedBeforeTheWithdrawal(arrival, topics)) {
                // The race the intake README documents: the withdrawal was accepted while the cards, decided
                // already, were on their way; card issuance decides, and it could not have seen it.
                lateWithdrawals++;
                lateWithdrawalLines.add(describe(arrival, status, topics));
            } else if (!status.equals(arrival.expected())) {
                wrong++;
                wrongLines.add(describe(arrival, status, topics) + " (expected " + arrival.expected() + ")");
            }
        }
        out.append(String.format("%nApplications%n"));
        row(out, "offered", arrivals.size(), "at " + options.rate() + "/s, an open model");
        row(out, "accepted (201)", accepted, workload.requests() + " requests in all, " + workload.failedRequests() + " with no answer");
        row(out, "not accepted", notAccepted, "gave up after " + "3 min of retries, or refused");
        for (Map.Entry<String, Integer> status : byStatus.entrySet()) {
            row(out, "  " + status.getKey(), status.getValue(), "");
        }
        row(out, "expected CARDS_ISSUED", (int) arrivals.stream().filter(a -> a.applicationId != null && a.expected().equals("CARDS_ISSUED")).count(),
                "clean, referred and approved on review, or amended");
        row(out, "stuck", stuck, "accepted, not in a final state at the end");
        row(out, "lost", lost, "accepted, then unknown to intake or never published");
        row(out, "wrong outcome", wrong, "final, but not what the sample enterprise's registries make it");
        row(out, "withdrawn too late", lateWithdrawals, "CARDS_ISSUED: card issuance decided the cards before the withdrawal was on eport.applications");
        row(out, "duplicate applications", duplicateApplications, "one arrival, two applications: a retried POST intake took twice");
        list(out, "not accepted", notAcceptedLines);
        list(out, "lost", lostLines);
        if (!stuckLines.isEmpty()) {
            Map<String, Long> waitingFor = new TreeMap<>();
            arrivals.stream().filter(a -> a.applicationId != null && !FINAL.contains(statuses.getOrDefault(a.applicationId, "404"))
                            && !statuses.getOrDefault(a.applicationId, "404").equals("404"))
                    .forEach(a -> waitingFor.merge(waitingFor(a, statuses.get(a.applicationId), topics), 1L, Long::sum));
            out.append("  stuck, by what each waits for:\n");
            waitingFor.forEach((what, count) -> out.append(String.format("    %5d  %s%n", count, what)));
        }
        list(out, "stuck", stuckLines);
        list(out, "wrong outcome", wrongLines);
        list(out, "withdrawn too late", lateWithdrawalLines);

        // ------------------------------------------------------------ exactly once
        Map<String, Integer> injectedCardCopies = new HashMap<>();
        struck.stream().filter(s -> s.fault().kind() == FaultPlan.Kind.DUPLICATES).forEach(s -> s.copiesByTopic().forEach((key, count) -> {
            if (key.startsWith("card:")) {
                injectedCardCopies.merge(key.substring(5), count, Integer::sum);
            }
        }));
        int[] once = topics.inspectAll(all -> {
            int doubled = 0;
            int resent = 0;
            int twice = 0;
            int conflicting = 0;
            for (TopicWatcher.Application application : all.values()) {
                if (application.cardSets.size() > 1) {
                    doubled++;
                }
                int injected = application.cardSets.keySet().stream().mapToInt(id -> injectedCardCopies.getOrDefault(id, 0)).sum();
                resent += Math.max(0, application.cardRecords - application.cardSets.size() - injected);
                Map<String, Set<String>> ids = new HashMap<>();
                Map<String, Set<String>> outcomes = new HashMap<>();
                for (TopicWatcher.Verdict verdict : application.verdicts.values()) {
                    if (verdict.isFinal()) {
                        String key = verdict.revision() + "/" + verdict.agency();
                        ids.computeIfAbsent(key, k -> new HashSet<>()).add(verdict.ceId());
                        outcomes.computeIfAbsent(key, k -> new HashSet<>()).add(verdict.outcome());
                    }
                }
                twice += (int) ids.values().stream().filter(set -> set.size() > 1).count();
                conflicting += (int) outcomes.values().stream().filter(set -> set.size() > 1).count();
            }
            return new int[] {doubled, resent, twice, conflicting};
        });
        out.append(String.format("%nExactly once (read from the topics, every application)%n"));
        row(out, "doubled card sets", once[0], "applications with CardsIssued under 2+ distinct ce_id on eport.cards");
        row(out, "card records sent again", once[1], "the same ce_id again, beyond the injected duplicates: readers dedupe by ce_id");
        row(out, "verdicts issued twice", once[2], "a second final verdict (new ce_id) for one application, revision and agency");
        row(out, "conflicting verdicts", once[3], "two different final outcomes for one revision");
        int intakeDisagrees = 0;
        List<String> disagreements = new ArrayList<>();
        for (Workload.Arrival arrival : arrivals) {
            if (arrival.applicationId == null) {
                continue;
            }
            String status = statuses.getOrDefault(arrival.applicationId, "");
            boolean cards = topics.inspect(arrival.applicationId, TopicWatcher.Application::cardsIssued).orElse(false);
            if (cards != status.equals("CARDS_ISSUED")) {
                intakeDisagrees++;
                disagreements.add(describe(arrival, status, topics));
            }
        }
        row(out, "intake vs eport.cards", intakeDisagrees, "status CARDS_ISSUED without a card set on the topic, or the reverse");
        list(out, "intake vs eport.cards", disagreements);
        Optional<JsonNode> dashboard = workload.get("dashboard", "/api/dashboard", opsToken).filter(a -> a.status() == 200).map(Workload.Answer::json);
        if (dashboard.isPresent()) {
            JsonNode funnel = dashboard.get().path("funnel");
            long[] truth = topics.inspectAll(all -> new long[] {
                    all.values().stream().filter(a -> a.submittedBy != null).count(),
                    all.values().stream().filter(a -> !a.telecom.isEmpty()).count(),
                    all.values().stream().filter(TopicWatcher.Application::cardsIssued).count(),
                    all.values().stream().filter(a -> a.withdrawnAt != null).count()});
            out.append(String.format("  %-28s submitted %d/%d, telecom %d/%d, cards %d/%d, withdrawn %d/%d (dashboard/topics; the dashboard%n"
                    + "  %-28s also counts the schema-valid poison applications it could store)%n", "dashboard vs topics",
                    funnel.path("submitted").asLong(), truth[0], funnel.path("telecomRegistered").asLong(), truth[1],
                    funnel.path("cardsIssued").asLong(), truth[2], funnel.path("withdrawn").asLong(), truth[3], ""));
        } else {
            out.append("  dashboard vs topics          the dashboard did not answer /api/dashboard\n");
        }

        // ------------------------------------------------------------ dead letters and quarantine
        out.append(String.format("%nDead letters and quarantine%n"));
        List<TopicWatcher.DeadLetter> deadLetters = topics.deadLetters();
        Map<String, Map<String, Long>> byGroup = new TreeMap<>();
        deadLetters.forEach(d -> byGroup.computeIfAbsent(d.group(), g -> new TreeMap<>()).merge(d.kind(), 1L, Long::sum));
        byGroup.forEach((group, kinds) -> out.append(String.format("  %-28s %s%n", "eport.dlt." + group, kinds)));
        long quarantined = 0;
        long replayed = 0;
        for (String service : ProcessSystem.SERVICES) {
            Optional<Workload.Answer> answer = workload.get(service, "/api/quarantine?all=true&limit=1000", opsToken);
            if (answer.isEmpty() || answer.get().status() != 200) {
                out.append(String.format("  %-28s GET /api/quarantine: %s%n", service,
                        answer.map(a -> a.status() + " " + abbreviate(a.body(), 120)).orElse("no answer")));
                continue;
            }
            JsonNode entries = answer.get().json();
            long all = entries.size();
            long done = 0;
            List<String> reasons = new ArrayList<>();
            for (JsonNode entry : entries) {
                if (!entry.path("replayedAt").isNull() && !entry.path("replayedAt").isMissingNode()) {
                    done++;
                }
                reasons.add(abbreviate(entry.path("reason").asString(""), 90) + " [" + entry.path("exceptionClass").asString("") + "]");
            }
            quarantined += all;
            replayed += done;
            if (all > 0) {
                out.append(String.format("  %-28s quarantined %d, replayed %d, open %d%s%n", service, all, done, all - done,
                        replays.containsKey(service) ? "; replay at the end: " + replaySummary(replays.get(service)) : ""));
                reasons.stream().distinct().limit(4).forEach(reason -> out.append(String.format("  %-28s   %s%n", "", reason)));
            }
        }
        row(out, "quarantined (all services)", (int) quarantined, "GET /api/quarantine?all=true on each service");
        row(out, "replayed", (int) replayed, "handled on replay (POST /api/quarantine/replay, as ops, after the drain)");
        dashboard.map(d -> d.path("quarantine")).filter(q -> !q.isMissingNode())
                .ifPresent(q -> out.append(String.format("  %-28s %s%n", "dashboard quarantine", abbreviate(q.toString(), 300))));

        // ------------------------------------------------------------ poison
        List<Poison.Dose> doses = struck.stream().flatMap(s -> s.doses().stream()).toList();
        if (!doses.isEmpty()) {
            out.append(String.format("%nPoison (what each consumer group did with it: dead letter kind; '-' nothing on its dead-letter topic)%n"));
            for (Poison.Dose dose : doses) {
                String id = dose.applicationId().toString();
                StringBuilder line = new StringBuilder();
                for (String group : dose.readers()) {
                    String kind = deadLetters.stream().filter(d -> d.group().equals(group) && (id.equals(d.key()) || id.equals(d.applicationId())))
                            .map(TopicWatcher.DeadLetter::kind).distinct().collect(Collectors.joining("+"));
                    line.append(' ').append(group).append('=').append(kind.isEmpty() ? "-" : kind);
                }
                out.append(String.format("  %-18s %-20s%s%n", dose.kind(), dose.topic(), line));
            }
        }

        // ------------------------------------------------------------ restarts
        out.append(String.format("%nRestarts (seconds; 'at' is into the stream; consuming = its group's committed offsets move again)%n"));
        out.append(String.format("  %-16s %-10s %7s %12s %12s %16s%n", "process", "how", "at", "down", "start→ready", "ready→consuming"));
        for (FaultMatrix.Struck s : struck) {
            if (s.restart() == null && !s.fault().stopsAProcess()) {
                continue;
            }
            if (s.restart() == null) {
                out.append(String.format("  %-16s failed: %s%n", s.fault().target(), s.problem()));
                continue;
            }
            ProcessSystem.Restart restart = s.restart();
            String consuming;
            if (ProcessSystem.SERVICES.contains(restart.process())) {
                consuming = progress.firstAdvanceAfter(restart.process(), restart.startedAt())
                        .map(at -> seconds(Duration.between(restart.readyAt(), at))).orElse("never");
            } else {
                // The broker or the database: until the last group consumes again.
                String slowest = "";
                Duration worst = Duration.ZERO;
                for (String group : GROUPS.subList(0, GROUPS.size() - 1)) {
                    Optional<Instant> at = progress.firstAdvanceAfter(group, restart.startedAt());
                    Duration took = at.map(t -> Duration.between(restart.readyAt(), t)).orElse(Duration.ofDays(1));
                    if (took.compareTo(worst) > 0) {
                        worst = took;
                        slowest = group;
                    }
                }
                consuming = (worst.toDays() >= 1 ? "never" : seconds(worst)) + " (last: " + slowest + ")";
            }
            out.append(String.format("  %-16s %-10s %7s %12s %12s %16s%n", restart.process(), restart.how(),
                    seconds(Duration.between(streamStart, restart.stoppedAt())), seconds(restart.downtime()),
                    seconds(restart.startToReady()), consuming));
        }
        List<ProcessEvent> crashes = system.events().stream().filter(e -> e.kind() == ProcessEvent.Kind.CRASHED).toList();
        out.append(String.format("  %-28s %d%n", "ended by themselves", crashes.size()));
        for (ProcessEvent crash : crashes) {
            out.append(String.format("    %s at %s s: %s (log %s)%n", crash.process(), seconds(Duration.between(streamStart, crash.at())),
                    crash.detail(), system.log(crash.process())));
        }

        // ------------------------------------------------------------ registries
        out.append(String.format("%nRegistry outages (seconds; 'waiting' = applications with no verdict of that agency on their current revision at its return)%n"));
        out.append(String.format("  %-10s %9s %9s %9s %26s %7s%n", "registry", "away at", "back at", "waiting", "return→last one decided", "never"));
        for (FaultMatrix.Struck s : struck) {
            if (s.fault().kind() != FaultPlan.Kind.REGISTRY_OUTAGE || s.returnedAt() == null) {
                if (s.fault().kind() == FaultPlan.Kind.REGISTRY_OUTAGE) {
                    out.append(String.format("  %-10s failed: %s%n", s.fault().target(), s.problem()));
                }
                continue;
            }
            Agency agency = Agency.ofId(s.fault().target());
            Instant last = s.returnedAt();
            int never = 0;
            for (Map.Entry<UUID, Integer> waiting : s.pendingAtReturn().entrySet()) {
                Optional<Optional<Instant>> decided = topics.inspect(waiting.getKey(), a -> {
                    Optional<Instant> at = a.firstVerdict(waiting.getValue(), agency).map(TopicWatcher.Verdict::at);
                    // Superseded by an amendment or withdrawn: that revision is not this agency's to decide any more.
                    return at.isPresent() || a.revision > waiting.getValue() || a.withdrawnAt != null ? at : null;
                });
                if (decided.isEmpty()) {
                    never++;
                } else if (decided.get().isPresent() && decided.get().get().isAfter(last)) {
                    last = decided.get().get();
                }
            }
            out.append(String.format("  %-10s %9s %9s %9d %26s %7d%n", agency.id(), seconds(Duration.between(streamStart, s.at())),
                    seconds(Duration.between(streamStart, s.returnedAt())), s.pendingAtReturn().size(),
                    seconds(Duration.between(s.returnedAt(), last)), never));
        }

        // ------------------------------------------------------------ latency
        List<Duration> all = new ArrayList<>();
        List<Duration> straight = new ArrayList<>();
        String worstId = "";
        Duration worst = Duration.ZERO;
        for (Workload.Arrival arrival : arrivals) {
            if (arrival.applicationId == null) {
                continue;
            }
            Optional<Instant> cards = topics.inspect(arrival.applicationId, a -> a.firstCards().orElse(null));
            if (cards.isPresent()) {
                Duration took = Duration.between(arrival.firstAttempt, cards.get());
                all.add(took);
                if (arrival.enterprise.fate() == SampleEnterprise.Fate.CLEAN && arrival.plan == Workload.Plan.NONE) {
                    straight.add(took);
                }
                if (took.compareTo(worst) > 0) {
                    worst = took;
                    worstId = "#" + arrival.number + " " + arrival.applicationId + " " + arrival.enterprise.fate();
                }
            }
        }
        out.append(String.format("%nSubmit to cards (first POST to CardsIssued on eport.cards; includes reviewers, amendments, telecom)%n"));
        out.append(String.format("  %-28s %s%n", "all with cards", percentiles(all)));
        out.append(String.format("  %-28s %s%n", "clean, straight through", percentiles(straight)));
        out.append(String.format("  %-28s %s (%s)%n", "worst", seconds(worst), worstId));

        // ------------------------------------------------------------ traffic
        out.append(String.format("%nTraffic%n"));
        struck.stream().filter(s -> s.fault().kind() == FaultPlan.Kind.DUPLICATES).forEach(s -> {
            Map<String, Integer> byTopic = new TreeMap<>();
            s.copiesByTopic().forEach((key, count) -> {
                if (!key.startsWith("card:")) {
                    byTopic.put(key, count);
                }
            });
            out.append(String.format("  %-28s %d at %s s: %s%n", "duplicates redelivered", byTopic.values().stream().mapToInt(Integer::intValue).sum(),
                    seconds(Duration.between(streamStart, s.at())), byTopic));
        });
        out.append(String.format("  %-28s %s%n", "responses", workload.responseCounts()));
        out.append(String.format("  %-28s %s%n", "consumer lag at the end", progress.lag()));
        out.append(String.format("  %-28s %d%n", "records read by the watcher", topics.recordsRead()));

        int brokenLogs = decisionLogs(out, workload, opsToken);
        Result result = new Result(arrivals.size(), accepted, notAccepted, byStatus, lost, stuck, wrong, once[0], once[2], once[3],
                duplicateApplications, quarantined, replayed, brokenLogs);
        out.append(String.format("%nTarget: 0 lost, 0 doubled, 0 stuck, every decision log intact. This run: %d lost, %d doubled, %d stuck,"
                + " %d decision logs broken: %s%n", lost, once[0], stuck, brokenLogs, result.clean() ? "MET" : "NOT MET"));
        return new FaultReport(result, out.toString());
    }

    /**
     * Every deciding service's chain check after the faults (kill -9 between commit and send, the
     * database restarted, ...): each one's log recomputed entry by entry and against its seals.
     * Returns how many were not intact.
     */
    private static int decisionLogs(StringBuilder out, Workload workload, String opsToken) {
        out.append(String.format("%nDecision logs (GET /api/decision-log/check, as ops):%n"));
        int broken = 0;
        for (String service : DecisionLog.SERVICES) {
            Optional<Workload.Answer> answer = workload.get(service, "/api/decision-log/check", opsToken);
            String line;
            if (answer.isEmpty() || answer.get().status() != 200) {
                broken++;
                line = "NO ANSWER " + answer.map(a -> "HTTP " + a.status()).orElse("");
            } else {
                JsonNode check = JSON.readTree(answer.get().body());
                boolean intact = check.path("intact").asBoolean(false);
                broken += intact ? 0 : 1;
                line = String.format("%s: %d entries, sealed up to %d by %d seals%s", intact ? "intact" : "BROKEN", check.path("entries").asLong(),
                        check.path("sealedUpTo").asLong(), check.path("seals").asLong(), intact ? "" : " " + check.path("problems"));
            }
            out.append(String.format("  %-28s %s%n", service, line));
        }
        return broken;
    }

    /** Intake's status of every accepted application (and of every application an arrival's account made), as ops. */
    private static Map<UUID, String> statuses(List<Workload.Arrival> arrivals, TopicWatcher topics, Workload workload, String opsToken) {
        Map<UUID, String> statuses = new ConcurrentHashMap<>();
        Set<UUID> ids = new HashSet<>();
        arrivals.forEach(a -> {
            if (a.applicationId != null) {
                ids.add(a.applicationId);
            }
            ids.addAll(topics.submittedBy(a.account));
        });
        ExecutorService pool = FaultMatrix.pool(8, "fault-matrix-status");
        try {
            for (UUID id : ids) {
                pool.execute(() -> {
                    for (int attempt = 0; attempt < 5; attempt++) {
                        Optional<Workload.Answer> answer = workload.status(id, opsToken);
                        if (answer.isPresent() && answer.get().status() == 200) {
                            statuses.put(id, answer.get().json().path("status").asString());
                            return;
                        }
                        if (answer.isPresent() && answer.get().status() == 404) {
                            statuses.put(id, "404");
                            return;
                        }
                        FaultMatrix.sleep(Duration.ofSeconds(1));
                    }
                    statuses.put(id, "no answer");
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }

    /** One application in a line: what intake says, and what the topics show of each agency, telecom and the cards. */
    /** Whether card issuance decided the cards before the withdrawal was on eport.applications, so could not have seen it. */
    private static boolean cardsDecidedBeforeTheWithdrawal(Workload.Arrival arrival, TopicWatcher topics) {
        return topics.inspect(arrival.applicationId, a -> a.withdrawnAt != null && a.cardSets.values().stream()
                .anyMatch(cards -> !cards.issuedAt().isAfter(a.withdrawnAt))).orElse(false);
    }

    private static String describe(Workload.Arrival arrival, String status, TopicWatcher topics) {
        String shown = topics.inspect(arrival.applicationId, a -> {
            StringBuilder line = new StringBuilder("revision " + a.revision + ":");
            for (Agency agency : Agency.values()) {
                String outcome = a.finalVerdict(a.revision, agency).map(TopicWatcher.Verdict::outcome)
                        .orElse(a.referral(a.revision, agency).isPresent() ? "REFERRED" : "none");
                line.append(' ').append(agency.id()).append('=').append(outcome);
            }
            line.append(", telecom ").append(a.telecom.isEmpty() ? "no" : "yes").append(", cards ").append(a.cardSets.size());
            a.firstCards().ifPresent(at -> line.append(" at ").append(at));
            if (a.withdrawnAt != null) {
                line.append(", withdrawn at ").append(a.withdrawnAt);
            }
            return line.toString();
        }).orElse("not on the topics");
        return String.format("    #%d %s %s/%s: intake %s; topics %s%s", arrival.number, arrival.applicationId, arrival.enterprise.fate(),
                arrival.plan, status, shown, arrival.telecomProblem != null ? "; telecom refused: " + abbreviate(arrival.telecomProblem, 160) : "");
    }

    /** The first thing a stuck application still waits for, by the topics, and so which consumer to look at. */
    private static String waitingFor(Workload.Arrival arrival, String status, TopicWatcher topics) {
        return topics.inspect(arrival.applicationId, a -> {
            int revision = a.revision;
            List<String> undecided = new ArrayList<>();
            List<String> referred = new ArrayList<>();
            for (Agency agency : Agency.values()) {
                if (a.finalVerdict(revision, agency).isEmpty()) {
                    (a.referral(revision, agency).isPresent() ? referred : undecided).add(agency.id());
                }
            }
            if (a.cardsIssued()) {
                return "cards on eport.cards, intake still says " + status + " (intake's consumer)";
            }
            if (a.rejected(revision)) {
                return arrival.plan == Workload.Plan.AMEND && !arrival.amended ? "rejected: the amendment was not accepted (intake says " + status + ")"
                        : "rejected on the topic, intake says " + status + " (intake's consumer)";
            }
            if (!undecided.isEmpty()) {
                return "no verdict yet from " + String.join(", ", undecided) + " (intake says " + status + ")";
            }
            if (!referred.isEmpty()) {
                return "referred by " + String.join(", ", referred) + ", no reviewer's decision on the topic";
            }
            if (a.telecom.isEmpty()) {
                return arrival.telecomProblem != null ? "approved by all six; telecom refused the registration"
                        : "approved by all six; telecom has not registered it (telecom's consumer or API)";
            }
            return "approved by all six and registered at telecom; no card set (card issuance)";
        }).orElse("not on eport.applications (intake's outbox relay)");
    }

    private static String replaySummary(String answer) {
        try {
            JsonNode outcome = JSON.readTree(answer.substring(answer.indexOf(' ') + 1));
            return outcome.path("replayed").size() + " handled, " + outcome.path("failed").size() + " failed again"
                    + (outcome.path("failed").isEmpty() ? "" : " (" + abbreviate(outcome.path("failed").get(0).path("reason").asString(""), 100) + ")");
        } catch (RuntimeException e) {
            return abbreviate(answer, 100);
        }
    }

    private static String percentiles(List<Duration> durations) {
        if (durations.isEmpty()) {
            return "none";
        }
        List<Duration> sorted = new ArrayList<>(durations);
        sorted.sort(Comparator.naturalOrder());
        return String.format("n %d, p50 %s, p95 %s, p99 %s, max %s", sorted.size(), seconds(sorted.get(sorted.size() / 2)),
                seconds(sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.95)))),
                seconds(sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.99)))), seconds(sorted.get(sorted.size() - 1)));
    }

    private static void row(StringBuilder out, String name, int value, String note) {
        out.append(String.format("  %-28s %6d   %s%n", name, value, note));
    }

    private static void list(StringBuilder out, String what, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.append("  ").append(what).append(lines.size() > LISTED ? " (the first " + LISTED + " of " + lines.size() + ")" : "").append(":\n");
        lines.stream().limit(LISTED).forEach(line -> out.append(line).append('\n'));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f", duration.toMillis() / 1000.0);
    }

    private static String abbreviate(String text, int length) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= length ? oneLine : oneLine.substring(0, length) + "...";
    }
}
