package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Reason;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads snapshots and timelines from the read model. */
@Component
class DashboardView {

    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };
    private static final int MOST_FREQUENT_REASONS = 5;
    private static final int MAX_TIMELINE_ENTRIES = 500;
    private static final int MAX_OPEN_ESCALATIONS = 100;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final DashboardSettings settings;
    private final ConsumerLag lag;
    private final RunningCounts counts;
    private final SealWatch seals;
    private final AgencyClocks agencyClocks;
    private final ActivityCounts activity;
    private final TransactionTemplate readOnly;

    DashboardView(JdbcClient jdbc, JsonMapper json, Clock clock, DashboardSettings settings, ConsumerLag lag, RunningCounts counts,
            SealWatch seals, ActivityCounts activity, AgencyClocks agencyClocks, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.agencyClocks = agencyClocks;
        this.seals = seals;
        this.activity = activity;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.lag = lag;
        this.counts = counts;
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /**
     * The snapshot, read from the running counts, an index entry per agency for its oldest pending
     * check, the verdicts of the throughput window and the last hour's minutes of the chart: what it
     * costs does not grow with the history.
     * In one read-only transaction, so that all of it is of one moment.
     */
    Snapshot snapshot() {
        Instant now = clock.instant();
        return Objects.requireNonNull(readOnly.execute(status -> {
            Map<Agency, RunningCounts.ForAgency> agencies = counts.agencies();
            Map<Agency, Instant> oldestPending = counts.oldestPending();
            Snapshot.Funnel funnel = funnel(agencies);
            return new Snapshot(now, funnel, agencies(agencies, oldestPending, now), deadLetters(), quarantine(), lag.latest(),
                    seals.at(now, settings.sealAlertAfter()), clocks(oldestPending, now), activity.lastHour(now),
                    cards(funnel.cardsIssued()));
        }));
    }

    private Snapshot.Funnel funnel(Map<Agency, RunningCounts.ForAgency> agencies) {
        RunningCounts.Funnel funnel = counts.funnel();
        List<Snapshot.Stage> stages = Arrays.stream(Agency.values()).map(agency -> new Snapshot.Stage(agency, agency.zhName(),
                agencies.getOrDefault(agency, RunningCounts.ForAgency.NONE).decided())).toList();
        return new Snapshot.Funnel(funnel.submitted(), stages, funnel.approvedByAll(), funnel.telecomRegistered(),
                funnel.cardsIssued(), funnel.withdrawn());
    }

    private List<Snapshot.AgencyRow> agencies(Map<Agency, RunningCounts.ForAgency> counted, Map<Agency, Instant> oldestPending,
            Instant now) {
        Duration window = settings.throughputWindow();
        // Distinct verdicts, not events: the same verdict published twice is one decision. An index range
        // over the window (timeline_recent_verdicts), however long the timeline.
        Map<Agency, Long> recent = new EnumMap<>(Agency.class);
        jdbc.sql("""
                SELECT agency, count(DISTINCT (application_id, revision, outcome)) AS n FROM timeline
                WHERE kind = 'VERDICT' AND occurred_at > ? AND occurred_at <= ? GROUP BY agency""")
                .params(Timestamp.from(now.minus(window)), Timestamp.from(now))
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), rs.getLong("n")))
                .list().forEach(e -> recent.put(e.getKey(), e.getValue()));
        double minutes = window.toMillis() / 60_000.0;
        List<Snapshot.AgencyRow> rows = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            RunningCounts.ForAgency count = counted.getOrDefault(agency, RunningCounts.ForAgency.NONE);
            // Rounded to a tenth: a person reads "1.3 a minute", and a long fraction could pass for a number it is not.
            double throughput = Math.round(recent.getOrDefault(agency, 0L) / minutes * 10) / 10.0;
            Instant oldest = oldestPending.get(agency);
            rows.add(new Snapshot.AgencyRow(agency, agency.zhName(), agency.enName(), count.approved(), count.rejected(),
                    count.referred(), throughput, count.reviewQueue(), count.pending(), oldest,
                    oldest == null ? null : ageSeconds(oldest, now)));
        }
        return rows;
    }

    /**
     * Each agency's clock and the open escalations. An escalation is open while its agency has given
     * the revision no final verdict, the revision is the application's newest and it is not withdrawn.
     */
    private Snapshot.Clocks clocks(Map<Agency, Instant> oldestPending, Instant now) {
        List<Snapshot.Escalation> open = jdbc.sql("""
                SELECT DISTINCT ON (e.application_id, e.revision, e.agency) e.application_id, e.revision, e.agency, e.level,
                       e.accepted_at, e.deadline, e.waiting_for, e.raised_at, a.slip_number
                FROM escalations e
                JOIN applications a ON a.application_id = e.application_id AND a.revision = e.revision
                WHERE NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.application_id = e.application_id)
                  AND NOT EXISTS (SELECT 1 FROM agency_verdicts v WHERE v.application_id = e.application_id
                                  AND v.revision = e.revision AND v.agency = e.agency AND v.outcome <> 'REFERRED')
                ORDER BY e.application_id, e.revision, e.agency, e.level = 'BREACH' DESC""")
                .query((rs, n) -> {
                    Agency agency = Agency.valueOf(rs.getString("agency"));
                    return new Snapshot.Escalation(agency, agency.zhName(), rs.getObject("application_id", UUID.class),
                            rs.getInt("revision"), rs.getString("slip_number"), rs.getString("level"),
                            rs.getTimestamp("accepted_at").toInstant(), rs.getTimestamp("deadline").toInstant(),
                            rs.getString("waiting_for"), rs.getTimestamp("raised_at").toInstant());
                })
                .list().stream()
                .sorted(java.util.Comparator.comparing((Snapshot.Escalation e) -> !e.level().equals("BREACH"))
                        .thenComparing(Snapshot.Escalation::deadline))
                .toList();
        Map<Agency, Integer> limits = agencyClocks.limits();
        List<Snapshot.AgencyClock> agencies = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            int limit = limits.get(agency);
            Double hours = AgencyClocks.workingHoursSince(oldestPending.get(agency), now);
            agencies.add(new Snapshot.AgencyClock(agency, agency.zhName(), limit, hours,
                    hours == null ? null : Math.round(100.0 * hours / (24.0 * limit)) / 100.0,
                    open.stream().filter(e -> e.agency() == agency && e.level().equals("WARNING")).count(),
                    open.stream().filter(e -> e.agency() == agency && e.level().equals("BREACH")).count()));
        }
        return new Snapshot.Clocks(agencies, open.size() > MAX_OPEN_ESCALATIONS ? open.subList(0, MAX_OPEN_ESCALATIONS) : open,
                agencyClocks.thisMonth());
    }

    /** The sets not active, through their partial index; the active ones are the rest of those issued. */
    private Snapshot.Cards cards(long issued) {
        Map<String, Long> notActive = new HashMap<>();
        jdbc.sql("SELECT state, count(*) AS n FROM card_sets WHERE state <> 'ACTIVE' GROUP BY state")
                .query((rs, n) -> Map.entry(rs.getString("state"), rs.getLong("n"))).list()
                .forEach(e -> notActive.put(e.getKey(), e.getValue()));
        long suspended = notActive.getOrDefault("SUSPENDED", 0L);
        long cancelled = notActive.getOrDefault("CANCELLED", 0L);
        List<Snapshot.StateCount> byState = List.of(new Snapshot.StateCount("ACTIVE", Math.max(0, issued - suspended - cancelled)),
                new Snapshot.StateCount("SUSPENDED", suspended), new Snapshot.StateCount("CANCELLED", cancelled));
        List<Snapshot.ReasonCount> reasons = jdbc.sql("""
                SELECT reason_code, count(*) AS n FROM card_suspensions GROUP BY reason_code ORDER BY n DESC, reason_code LIMIT 20""")
                .query((rs, n) -> new Snapshot.ReasonCount(rs.getString("reason_code"), rs.getLong("n"))).list();
        return new Snapshot.Cards(byState, reasons);
    }

    private Snapshot.Quarantine quarantine() {
        List<Snapshot.QuarantineGroup> groups = jdbc.sql("""
                SELECT consumer_group, count(*) AS n FROM quarantined WHERE replayed_at IS NULL
                GROUP BY consumer_group ORDER BY consumer_group""")
                .query((rs, n) -> new Snapshot.QuarantineGroup(rs.getString("consumer_group"), rs.getLong("n")))
                .list();
        long open = groups.stream().mapToLong(Snapshot.QuarantineGroup::open).sum();
        Snapshot.Quarantined oldest = jdbc.sql("""
                SELECT consumer_group, event_key, application_id::text AS application_id, reason, stack_hash, noticed_at
                FROM quarantined WHERE replayed_at IS NULL ORDER BY noticed_at, event_key LIMIT 1""")
                .query((rs, n) -> new Snapshot.Quarantined(rs.getString("consumer_group"), rs.getString("event_key"),
                        rs.getString("application_id"), rs.getString("reason"), rs.getString("stack_hash"),
                        rs.getTimestamp("noticed_at").toInstant()))
                .optional().orElse(null);
        return new Snapshot.Quarantine(open, open > 0, oldest, groups);
    }

    private Snapshot.DeadLetters deadLetters() {
        record Row(String group, String reason, long count, Instant last) {
        }
        List<Row> rows = jdbc.sql("""
                SELECT consumer_group, reason, records AS n, last_counted_at AS last FROM dead_letter_counts
                ORDER BY consumer_group, records DESC, reason""")
                .query((rs, n) -> new Row(rs.getString("consumer_group"), rs.getString("reason"), rs.getLong("n"),
                        rs.getTimestamp("last").toInstant()))
                .list();
        Map<String, List<Row>> byGroup = new LinkedHashMap<>();
        rows.forEach(row -> byGroup.computeIfAbsent(row.group(), g -> new ArrayList<>()).add(row));
        List<Snapshot.DeadLetterGroup> groups = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, List<Row>> group : byGroup.entrySet()) {
            long count = group.getValue().stream().mapToLong(Row::count).sum();
            Instant last = group.getValue().stream().map(Row::last).max(Instant::compareTo).orElseThrow();
            List<Snapshot.ReasonCount> reasons = group.getValue().stream().limit(MOST_FREQUENT_REASONS)
                    .map(row -> new Snapshot.ReasonCount(row.reason(), row.count())).toList();
            groups.add(new Snapshot.DeadLetterGroup(group.getKey(), count, last, reasons));
            total += count;
        }
        return new Snapshot.DeadLetters(total, groups);
    }

    /**
     * The timeline of the application with this id or appointment slip number; empty when the topics
     * have told nothing of it.
     */
    Optional<Timeline> timeline(String query) {
        String wanted = query.strip();
        Optional<UUID> id = parseUuid(wanted);
        if (id.isEmpty()) {
            id = jdbc.sql("SELECT application_id FROM applications WHERE upper(slip_number) = upper(?)")
                    .param(wanted).query(UUID.class).optional();
        }
        return id.flatMap(this::timelineOf);
    }

    private Optional<Timeline> timelineOf(UUID applicationId) {
        record Header(String slipNumber, int revision, String enterprise) {
        }
        Optional<Header> header = jdbc.sql("SELECT slip_number, revision, enterprise_name FROM applications WHERE application_id = ?")
                .param(applicationId)
                .query((rs, n) -> new Header(rs.getString("slip_number"), rs.getInt("revision"), rs.getString("enterprise_name")))
                .optional();
        List<Timeline.Entry> entries = jdbc.sql("""
                SELECT kind, revision, agency, outcome, reasons::text AS reasons, actor, occurred_at FROM timeline
                WHERE application_id = ? ORDER BY occurred_at, id LIMIT ?""")
                .params(applicationId, MAX_TIMELINE_ENTRIES)
                .query((rs, n) -> {
                    String agency = rs.getString("agency");
                    return new Timeline.Entry(rs.getTimestamp("occurred_at").toInstant(), rs.getString("kind"),
                            (Integer) rs.getObject("revision"), agency, agency == null ? null : Agency.valueOf(agency).zhName(),
                            rs.getString("outcome"), json.readValue(rs.getString("reasons"), REASONS), rs.getString("actor"));
                })
                .list();
        if (header.isEmpty() && entries.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Timeline(applicationId, header.map(Header::slipNumber).orElse(null),
                header.map(Header::revision).orElse(null), header.map(Header::enterprise).orElse(null), entries));
    }

    private static Optional<UUID> parseUuid(String text) {
        if (text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long ageSeconds(Instant since, Instant now) {
        return Math.max(0, Duration.between(since, now).toSeconds());
    }
}
