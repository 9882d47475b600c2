package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The oracle: the snapshot's funnel, agency rows and dead letters as the dashboard computed them
 * until it kept running counts, by aggregates over the whole read model; and the last hour's chart
 * counted from the whole timeline.
 */
final class WholeReadModelAggregates {

    private final JdbcClient jdbc;
    private final Duration window;

    WholeReadModelAggregates(JdbcClient jdbc, Duration window) {
        this.jdbc = jdbc;
        this.window = window;
    }

    Snapshot.Funnel funnel() {
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

    List<Snapshot.AgencyRow> agencies(Instant now) {
        Map<Agency, Outcomes> outcomes = new EnumMap<>(Agency.class);
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
            double throughput = Math.round(recent.getOrDefault(agency, 0L) / minutes * 10) / 10.0;
            rows.add(new Snapshot.AgencyRow(agency, agency.zhName(), agency.enName(), counted.approved(), counted.rejected(),
                    counted.referred(), throughput, counted.queued(), waiting == null ? 0 : waiting.count(),
                    waiting == null ? null : waiting.oldest(),
                    waiting == null ? null : Math.max(0, Duration.between(waiting.oldest(), now).toSeconds())));
        }
        return rows;
    }

    Snapshot.DeadLetters deadLetters() {
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
            List<Snapshot.ReasonCount> reasons = group.getValue().stream().limit(5)
                    .map(row -> new Snapshot.ReasonCount(row.reason(), row.count())).toList();
            groups.add(new Snapshot.DeadLetterGroup(group.getKey(), count, last, reasons));
            total += count;
        }
        return new Snapshot.DeadLetters(total, groups);
    }

    /**
     * The last hour's chart from the timeline as it stands: each thing's first line (the smallest id of
     * the lines that told of it), counted in the minute of its time.
     */
    Snapshot.Activity activity(Instant now) {
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = current.minus(Duration.ofMinutes(59));
        Map<Instant, Map<String, Long>> counted = new HashMap<>();
        jdbc.sql("""
                SELECT minute, series, count(*) AS n FROM (
                    SELECT DISTINCT ON (kind, application_id, thing_revision, thing_agency, thing_outcome)
                           date_trunc('minute', occurred_at AT TIME ZONE 'UTC') AS minute,
                           CASE kind WHEN 'VERDICT' THEN agency WHEN 'CARDS_ISSUED' THEN 'CARD_SETS' ELSE kind END AS series
                    FROM (SELECT t.*, CASE WHEN kind IN ('AMENDED', 'VERDICT') THEN revision END AS thing_revision,
                                 CASE WHEN kind = 'VERDICT' THEN agency END AS thing_agency,
                                 CASE WHEN kind = 'VERDICT' THEN outcome END AS thing_outcome
                          FROM timeline t WHERE kind IN ('SUBMITTED', 'AMENDED', 'VERDICT', 'CARDS_ISSUED')) AS lines
                    ORDER BY kind, application_id, thing_revision, thing_agency, thing_outcome, id) AS firsts
                WHERE minute BETWEEN ? AND ? GROUP BY minute, series""")
                .params(LocalDateTime.ofInstant(from, ZoneOffset.UTC), LocalDateTime.ofInstant(current, ZoneOffset.UTC))
                .query((rs, n) -> Map.entry(rs.getObject("minute", LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        Map.entry(rs.getString("series"), rs.getLong("n"))))
                .list().forEach(e -> counted.computeIfAbsent(e.getKey(), m -> new HashMap<>()).put(e.getValue().getKey(), e.getValue().getValue()));
        List<Snapshot.Minute> minutes = new ArrayList<>();
        for (Instant start = from; !start.isAfter(current); start = start.plus(Duration.ofMinutes(1))) {
            Map<String, Long> series = counted.getOrDefault(start, Map.of());
            Map<Agency, Long> verdicts = new EnumMap<>(Agency.class);
            Arrays.stream(Agency.values()).forEach(agency -> verdicts.put(agency, series.getOrDefault(agency.name(), 0L)));
            minutes.add(new Snapshot.Minute(start, series.getOrDefault("SUBMITTED", 0L), series.getOrDefault("AMENDED", 0L), verdicts,
                    series.getOrDefault("CARD_SETS", 0L)));
        }
        List<Snapshot.AgencyVerdicts> agencies = Arrays.stream(Agency.values()).map(agency -> new Snapshot.AgencyVerdicts(agency,
                agency.zhName(), minutes.stream().mapToLong(minute -> minute.verdicts().get(agency)).sum())).toList();
        return new Snapshot.Activity(from, now, minutes, minutes.stream().mapToLong(Snapshot.Minute::submitted).sum(),
                minutes.stream().mapToLong(Snapshot.Minute::amended).sum(), agencies,
                minutes.stream().mapToLong(Snapshot.Minute::cardSets).sum());
    }

    private Map<Agency, Long> perAgency(String sql, Object... params) {
        Map<Agency, Long> counts = new EnumMap<>(Agency.class);
        jdbc.sql(sql).params(params)
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString(1)), rs.getLong(2)))
                .list().forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }
}
