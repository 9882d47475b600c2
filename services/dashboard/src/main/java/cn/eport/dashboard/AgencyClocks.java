package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import cn.eport.workingdays.MissingHolidayTableException;
import cn.eport.workingdays.WorkingDayCalendar;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The agencies' statutory clocks as the topics show them: each agency's limit (as its latest
 * escalation carried it, the configured default before any) and this month's SLA figures, drawn on
 * the page. A check's clock is taken to start when its revision was published to the agencies (the
 * record's time) and to stop at the agency's final verdict, in working time on the Chinese calendar;
 * the agency's own report ({@code GET /api/clock/report}) counts from its acceptance, a consumer lag
 * later. The month's figures read every final verdict of the month, so they are computed at most
 * once per {@code eport.dashboard.sla-refresh} and served from memory in between.
 */
@Component
class AgencyClocks {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final DashboardSettings settings;
    private volatile @Nullable Cached cached;

    private record Cached(Instant at, List<Snapshot.MonthOnTheClock> months) {
    }

    AgencyClocks(JdbcClient jdbc, Clock clock, DashboardSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** Each agency's limit in working days. */
    Map<Agency, Integer> limits() {
        Map<Agency, Integer> limits = new EnumMap<>(Agency.class);
        Arrays.stream(Agency.values()).forEach(agency -> limits.put(agency, settings.timeLimitWorkingDays()));
        jdbc.sql("SELECT DISTINCT ON (agency) agency, time_limit_days FROM escalations ORDER BY agency, raised_at DESC")
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), rs.getInt("time_limit_days")))
                .list().forEach(e -> limits.put(e.getKey(), e.getValue()));
        return limits;
    }

    /** This month's figures per agency (China Standard Time), at most {@code sla-refresh} old. */
    List<Snapshot.MonthOnTheClock> thisMonth() {
        Instant now = clock.instant();
        Cached held = cached;
        if (held == null || held.at().plus(settings.slaRefresh()).isBefore(now) || held.at().isAfter(now)) {
            held = new Cached(now, compute(YearMonth.from(now.atZone(WorkingDayCalendar.CHINA_STANDARD_TIME)), now));
            cached = held;
        }
        return held.months();
    }

    private List<Snapshot.MonthOnTheClock> compute(YearMonth month, Instant now) {
        Instant start = month.atDay(1).atStartOfDay(WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
        Map<Agency, List<Long>> hours = new EnumMap<>(Agency.class);
        WorkingDayCalendar calendar = WorkingDayCalendar.chinese();
        jdbc.sql("""
                        SELECT v.agency, v.decided_at, s.published_at
                        FROM agency_verdicts v
                        JOIN LATERAL (SELECT min(t.published_at) AS published_at FROM timeline t
                                      WHERE t.application_id = v.application_id AND t.revision = v.revision
                                        AND t.kind IN ('SUBMITTED', 'AMENDED')) s ON s.published_at IS NOT NULL
                        WHERE v.outcome <> 'REFERRED' AND v.decided_at >= ? AND v.decided_at < ?""")
                .params(Timestamp.from(start), Timestamp.from(end))
                .query((rs, n) -> {
                    Instant published = rs.getTimestamp("published_at").toInstant();
                    Instant decided = rs.getTimestamp("decided_at").toInstant();
                    long millis;
                    try {
                        millis = decided.isAfter(published) ? calendar.workingTimeBetween(published, decided).toMillis() : 0;
                    } catch (MissingHolidayTableException e) {
                        millis = -1;
                    }
                    return Map.entry(Agency.valueOf(rs.getString("agency")), millis);
                })
                .list().forEach(e -> {
                    if (e.getValue() >= 0) {
                        hours.computeIfAbsent(e.getKey(), a -> new ArrayList<>()).add(e.getValue());
                    }
                });
        Map<Agency, Long> breaches = new EnumMap<>(Agency.class);
        jdbc.sql("SELECT agency, count(*) AS n FROM escalations WHERE level = 'BREACH' AND raised_at >= ? AND raised_at < ? GROUP BY agency")
                .params(Timestamp.from(start), Timestamp.from(end))
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), rs.getLong("n")))
                .list().forEach(e -> breaches.put(e.getKey(), e.getValue()));
        Map<Agency, Integer> limits = limits();
        List<Snapshot.MonthOnTheClock> months = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            long[] sorted = hours.getOrDefault(agency, List.of()).stream().mapToLong(Long::longValue).sorted().toArray();
            long limitMillis = Duration.ofDays(limits.get(agency)).toMillis();
            long onTime = Arrays.stream(sorted).filter(m -> m <= limitMillis).count();
            boolean none = sorted.length == 0;
            months.add(new Snapshot.MonthOnTheClock(agency, agency.zhName(), month.toString(), limits.get(agency), sorted.length, onTime,
                    none ? null : Math.round(10_000.0 * onTime / sorted.length) / 10_000.0,
                    none ? null : hours(nearestRank(sorted, 0.5)), none ? null : hours(nearestRank(sorted, 0.9)),
                    breaches.getOrDefault(agency, 0L), now));
        }
        return months;
    }

    private static long nearestRank(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static double hours(long millis) {
        return WorkingDayCalendar.hoursOf(Duration.ofMillis(millis));
    }

    /** The working time since {@code since} in hours, on the Chinese calendar; none where it lacks the year. */
    static @Nullable Double workingHoursSince(@Nullable Instant since, Instant now) {
        if (since == null) {
            return null;
        }
        try {
            return WorkingDayCalendar.hoursOf(since.isBefore(now) ? WorkingDayCalendar.chinese().workingTimeBetween(since, now)
                    : Duration.ZERO);
        } catch (MissingHolidayTableException e) {
            return null;
        }
    }
}
