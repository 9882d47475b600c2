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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads snapshots and timelines from the read model. */
@Component
class DashboardView {

    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };
    private static final int MOST_FREQUENT_REASONS = 5;
    private static final int MAX_TIMELINE_ENTRIES = 500;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final DashboardSettings settings;
    private final ConsumerLag lag;

    DashboardView(JdbcClient jdbc, JsonMapper json, Clock clock, DashboardSettings settings, ConsumerLag lag) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.lag = lag;
    }

    Snapshot snapshot() {
        Instant now = clock.instant();
        return new Snapshot(now, funnel(), agencies(now), deadLetters(), quarantine(), lag.latest());
    }

    private Snapshot.Funnel funnel() {
        long submitted = jdbc.sql("SELECT count(*) FROM applications").query(Long.class).single();
        long registered = jdbc.sql("SELECT count(*) FROM telecom_registrations").query(Long.class).single();
        long cards = jdbc.sql("SELECT count(*) FROM card_sets").query(Long.class).single();
        long withdrawn = jdbc.sql("SELECT count(*) FROM withdrawals").query(Long.class).single();
        Map<Agency, Long> decided = perAgency("""
                SELECT v.agency, count(*) FROM agency_verdicts v
                JOIN applications a ON a.application_id = v.application_id AND a.revision = v.revision
                WHERE v.outcome <> 'REFERRED' GROUP BY v.agency""");
        long approvedByAll = jdbc.sql("""
                SELECT count(*) FROM (
                    SELECT v.application_id FROM agency_verdicts v
                    JOIN applications a ON a.application_id = v.application_id AND a.revision = v.revision
                    WHERE v.outcome = 'APPROVED' GROUP BY v.application_id HAVING count(*) = ?) AS approved""")
                .param(Agency.values().length).query(Long.class).single();
        List<Snapshot.Stage> stages = Arrays.stream(Agency.values())
                .map(agency -> new Snapshot.Stage(agency, agency.zhName(), decided.getOrDefault(agency, 0L))).toList();
        return new Snapshot.Funnel(submitted, stages, approvedByAll, registered, cards, withdrawn);
    }

    private record Outcomes(long approved, long rejected, long referred, long queued) {
    }

    private record Pending(long count, Instant oldest) {
    }

    private List<Snapshot.AgencyRow> agencies(Instant now) {
        Map<Agency, Outcomes> outcomes = new EnumMap<>(Agency.class);
        // A referral stays in the agency's queue until its reviewer decides, unless the application was
        // amended since or withdrawn: the agency stops those checks (a referral whose application has
        // not been seen yet is counted; it is in the agency's queue).
        jdbc.sql("""
                SELECT v.agency, count(*) FILTER (WHERE v.outcome = 'APPROVED') AS approved,
                       count(*) FILTER (WHERE v.outcome = 'REJECTED') AS rejected,
                       count(*) FILTER (WHERE v.referred_at IS NOT NULL) AS referred,
                       count(*) FILTER (WHERE v.outcome = 'REFERRED' AND w.application_id IS NULL
                                        AND (a.application_id IS NULL OR a.revision = v.revision)) AS queued
                FROM agency_verdicts v
                LEFT JOIN applications a ON a.application_id = v.application_id
                LEFT JOIN withdrawals w ON w.application_id = v.application_id
                GROUP BY v.agency""")
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), new Outcomes(rs.getLong("approved"),
                        rs.getLong("rejected"), rs.getLong("referred"), rs.getLong("queued"))))
                .list().forEach(e -> outcomes.put(e.getKey(), e.getValue()));
        Duration window = settings.throughputWindow();
        // Distinct verdicts, not events: the same verdict published twice is one decision.
        Map<Agency, Long> recent = perAgency("""
                SELECT agency, count(DISTINCT (application_id, revision, outcome)) FROM timeline
                WHERE kind = 'VERDICT' AND occurred_at > ? AND occurred_at <= ? GROUP BY agency""",
                Timestamp.from(now.minus(window)), Timestamp.from(now));
        Map<Agency, Pending> pending = new EnumMap<>(Agency.class);
        jdbc.sql("""
                SELECT g.agency, count(*) AS pending, min(a.submitted_at) AS oldest
                FROM applications a CROSS JOIN unnest(?::text[]) AS g(agency)
                WHERE NOT EXISTS (SELECT 1 FROM agency_verdicts v WHERE v.application_id = a.application_id
                                  AND v.revision = a.revision AND v.agency = g.agency)
                  AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.application_id = a.application_id)
                GROUP BY g.agency""")
                .param(Arrays.stream(Agency.values()).map(Agency::name).toArray(String[]::new))
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")),
                        new Pending(rs.getLong("pending"), rs.getTimestamp("oldest").toInstant())))
                .list().forEach(e -> pending.put(e.getKey(), e.getValue()));
        double minutes = window.toMillis() / 60_000.0;
        List<Snapshot.AgencyRow> rows = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            Outcomes counted = outcomes.getOrDefault(agency, new Outcomes(0, 0, 0, 0));
            Pending waiting = pending.get(agency);
            // Rounded to a tenth: a person reads "1.3 a minute", and a long fraction could pass for a number it is not.
            double throughput = Math.round(recent.getOrDefault(agency, 0L) / minutes * 10) / 10.0;
            rows.add(new Snapshot.AgencyRow(agency, agency.zhName(), agency.enName(), counted.approved(), counted.rejected(),
                    counted.referred(), throughput, counted.queued(), waiting == null ? 0 : waiting.count(),
                    waiting == null ? null : waiting.oldest(), waiting == null ? null : ageSeconds(waiting.oldest(), now)));
        }
        return rows;
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
                SELECT consumer_group, reason, count(*) AS n, max(counted_at) AS last FROM dead_letters
                GROUP BY consumer_group, reason ORDER BY consumer_group, n DESC, reason""")
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

    private Map<Agency, Long> perAgency(String sql, Object... params) {
        Map<Agency, Long> counts = new EnumMap<>(Agency.class);
        jdbc.sql(sql).params(params)
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString(1)), rs.getLong(2)))
                .list().forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
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
