package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationAmended;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.ReceivedEvent;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The chart of the last hour, kept as the events arrive: per minute of event time (whole UTC minutes),
 * the applications submitted, the amendments, each agency's verdicts and the card sets issued.
 *
 * <p>Each thing counts once, in the minute of the first event that told of it: an application's
 * submission, an amendment (application and revision), a verdict (application, revision, agency and
 * outcome: the same verdict published again is one, as for the throughput) and an application's card
 * set. A batch asks its applications' timelines which of those things they told already, before it
 * writes its own lines and under the locks {@link RunningCounts#recount} took on those applications, so
 * two instances never both count one thing. A redelivered event does not get here (the inbox drops it),
 * and were its line in the timeline already, what it told would be known already.
 *
 * <p>So the snapshot reads at most sixty minutes of nine series, whatever the load. Counting the hour's
 * timeline instead would read every event of the hour every second: at the hundred applications a second
 * the system is measured at, some three million rows.
 */
@Component
class ActivityCounts {

    /** The minutes of the chart, the current one (so far) last. */
    static final int MINUTES = 60;
    /** Rows older than the chart are never read; a day of them is kept for whoever looks into last night with SQL. */
    static final Duration KEPT = Duration.ofDays(1);

    private static final String SUBMITTED = "SUBMITTED";
    private static final String AMENDED = "AMENDED";
    private static final String CARD_SETS = "CARD_SETS";
    private static final Logger log = LoggerFactory.getLogger(ActivityCounts.class);

    private final JdbcClient jdbc;
    private final Clock clock;

    ActivityCounts(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One thing the chart counts, as one event told of it: {@code key} names the thing, whoever tells of it. */
    private record Told(UUID applicationId, String key, String series, Instant minute) {

        static @Nullable Told of(ApplicationEvent event) {
            if (event instanceof ApplicationSubmitted submitted) {
                return told(event, "SUBMITTED", null, null, null, SUBMITTED, submitted.submittedAt());
            } else if (event instanceof ApplicationAmended amended) {
                return told(event, "AMENDED", amended.revision(), null, null, AMENDED, amended.amendedAt());
            } else if (event instanceof VerdictIssued verdict) {
                return told(event, "VERDICT", verdict.revision(), verdict.agency().name(), verdict.outcome().name(),
                        verdict.agency().name(), verdict.decidedAt());
            } else if (event instanceof CardsIssued cards) {
                return told(event, "CARDS_ISSUED", null, null, null, CARD_SETS, cards.issuedAt());
            }
            return null;
        }

        private static Told told(ApplicationEvent event, String kind, @Nullable Integer revision, @Nullable String agency,
                @Nullable String outcome, String series, Instant at) {
            return new Told(event.applicationId(), thing(kind, event.applicationId(), revision, agency, outcome), series,
                    at.truncatedTo(ChronoUnit.MINUTES));
        }
    }

    /**
     * What makes a thing one, from a timeline line's kind and fields: an application submits once and is
     * issued one card set; an amendment is its revision; a verdict its revision, agency and outcome.
     */
    private static String thing(String kind, UUID applicationId, @Nullable Integer revision, @Nullable String agency,
            @Nullable String outcome) {
        return switch (kind) {
            case "AMENDED" -> kind + "/" + applicationId + "/" + revision;
            case "VERDICT" -> kind + "/" + applicationId + "/" + revision + "/" + agency + "/" + outcome;
            default -> kind + "/" + applicationId;
        };
    }

    private record Bucket(Instant minute, String series) implements Comparable<Bucket> {

        @Override
        public int compareTo(Bucket other) {
            int byMinute = minute.compareTo(other.minute);
            return byMinute != 0 ? byMinute : series.compareTo(other.series);
        }
    }

    /**
     * Starts counting what {@code events} tell of, inside the transaction that is about to write their
     * lines: after their applications were locked, before the lines are written. Call
     * {@link Count#finish()} last, in the same transaction.
     */
    Count count(List<ReceivedEvent> events) {
        List<Told> told = new ArrayList<>();
        for (ReceivedEvent received : events) {
            Told one = Told.of(received.event());
            if (one != null) {
                told.add(one);
            }
        }
        if (told.isEmpty()) {
            return new Count(Map.of());
        }
        String[] ids = told.stream().map(Told::applicationId).distinct().map(UUID::toString).toArray(String[]::new);
        // Each application's own lines, through the timeline's index on the application: a few each.
        Set<String> known = new HashSet<>(jdbc.sql("""
                SELECT kind, application_id, revision, agency, outcome FROM timeline
                WHERE application_id = ANY(CAST(:ids AS uuid[])) AND kind IN ('SUBMITTED', 'AMENDED', 'VERDICT', 'CARDS_ISSUED')""")
                .param("ids", ids)
                .query((rs, n) -> thing(rs.getString("kind"), rs.getObject("application_id", UUID.class),
                        (Integer) rs.getObject("revision"), rs.getString("agency"), rs.getString("outcome")))
                .list());
        // In the batch's order, which is the order of its lines: the first to tell of a thing counts it.
        Map<Bucket, Long> counts = new TreeMap<>();
        for (Told one : told) {
            if (known.add(one.key())) {
                counts.merge(new Bucket(one.minute(), one.series()), 1L, Long::sum);
            }
        }
        return new Count(counts);
    }

    /** A count under way; see {@link #count(List)}. */
    final class Count {

        private final Map<Bucket, Long> counts;

        private Count(Map<Bucket, Long> counts) {
            this.counts = counts;
        }

        /**
         * Adds the batch's counts to their minutes. Last in the transaction, as the running counts are:
         * every batch adds to the current minute's rows, so each holds them as briefly as it can, and takes
         * them in one order (by minute and series) so that two never wait for each other in a circle.
         */
        void finish() {
            if (counts.isEmpty()) {
                return;
            }
            jdbc.sql("""
                    INSERT INTO activity_minutes AS m (minute, series, n)
                    SELECT minute, series, n
                    FROM unnest(CAST(:minutes AS timestamptz[]), CAST(:series AS text[]), CAST(:counts AS bigint[]))
                         AS c(minute, series, n)
                    ORDER BY minute, series
                    ON CONFLICT (minute, series) DO UPDATE SET n = m.n + excluded.n""")
                    .param("minutes", counts.keySet().stream().map(b -> b.minute().toString()).toArray(String[]::new))
                    .param("series", counts.keySet().stream().map(Bucket::series).toArray(String[]::new))
                    .param("counts", counts.values().toArray(Long[]::new))
                    .update();
        }
    }

    /**
     * The last sixty minutes up to {@code now}, the current one (so far) last: at most sixty minutes of
     * nine series' rows, through the primary key.
     */
    Snapshot.Activity lastHour(Instant now) {
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        Instant from = current.minus(MINUTES - 1, ChronoUnit.MINUTES);
        record Row(Instant minute, String series, long n) {
        }
        Map<Instant, Map<String, Long>> counted = new HashMap<>();
        jdbc.sql("SELECT minute, series, n FROM activity_minutes WHERE minute >= :from AND minute <= :current")
                .param("from", Timestamp.from(from)).param("current", Timestamp.from(current))
                .query((rs, n) -> new Row(rs.getTimestamp("minute").toInstant(), rs.getString("series"), rs.getLong("n")))
                .list().forEach(row -> counted.computeIfAbsent(row.minute(), m -> new HashMap<>()).put(row.series(), row.n()));
        List<Snapshot.Minute> minutes = new ArrayList<>(MINUTES);
        long submitted = 0;
        long amended = 0;
        long cardSets = 0;
        Map<Agency, Long> verdictTotals = new EnumMap<>(Agency.class);
        for (int i = 0; i < MINUTES; i++) {
            Instant start = from.plus(i, ChronoUnit.MINUTES);
            Map<String, Long> series = counted.getOrDefault(start, Map.of());
            Map<Agency, Long> verdicts = new EnumMap<>(Agency.class);
            for (Agency agency : Agency.values()) {
                long n = series.getOrDefault(agency.name(), 0L);
                verdicts.put(agency, n);
                verdictTotals.merge(agency, n, Long::sum);
            }
            Snapshot.Minute minute = new Snapshot.Minute(start, series.getOrDefault(SUBMITTED, 0L), series.getOrDefault(AMENDED, 0L),
                    verdicts, series.getOrDefault(CARD_SETS, 0L));
            submitted += minute.submitted();
            amended += minute.amended();
            cardSets += minute.cardSets();
            minutes.add(minute);
        }
        List<Snapshot.AgencyVerdicts> agencies = Arrays.stream(Agency.values())
                .map(agency -> new Snapshot.AgencyVerdicts(agency, agency.zhName(), verdictTotals.get(agency))).toList();
        return new Snapshot.Activity(from, now, minutes, submitted, amended, agencies, cardSets);
    }

    /** Hourly, on the service's scheduler: the minutes older than {@link #KEPT}. */
    @Scheduled(initialDelay = 1, fixedDelay = 60, timeUnit = TimeUnit.MINUTES)
    void forgetOldMinutesHourly() {
        try {
            forgetOldMinutes();
        } catch (RuntimeException e) {
            log.warn("Could not delete the chart's old minutes: {}", e.toString());
        }
    }

    int forgetOldMinutes() {
        return jdbc.sql("DELETE FROM activity_minutes WHERE minute < :cutoff")
                .param("cutoff", Timestamp.from(clock.instant().minus(KEPT).truncatedTo(ChronoUnit.MINUTES)))
                .update();
    }
}
