package cn.eport.agencycheck;

import cn.eport.workingdays.WorkingDayCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One month of an agency's statutory clock: of the checks given a final verdict in the month (China
 * Standard Time), the share decided within the limit, the median and 90th percentile of their
 * decision times in working hours, and the working hours they spent parked on registry outages; and
 * how many checks breached their limit in the month, decided since or not.
 *
 * @param onTimeShare  {@code decidedOnTime / decided}; null for a month with no decision
 * @param medianWorkingHours the nearest-rank median; null likewise
 * @param p90WorkingHours    the nearest-rank 90th percentile; null likewise
 */
record ClockReport(String agency, YearMonth month, int timeLimitWorkingDays, int decided, int decidedOnTime,
        @Nullable Double onTimeShare, @Nullable Double medianWorkingHours, @Nullable Double p90WorkingHours,
        double registryOutageWorkingHours, long breaches) {

    static final String CSV_HEADER = "agency,month,time_limit_working_days,decided,decided_on_time,on_time_share,"
            + "median_working_hours,p90_working_hours,registry_outage_working_hours,breaches";

    static ClockReport of(String agency, YearMonth month, int limitWorkingDays, List<Checks.Timed> decided, long breaches,
            StatutoryClock clock) {
        long[] millis = new long[decided.size()];
        int onTime = 0;
        long outage = 0;
        for (int i = 0; i < millis.length; i++) {
            Checks.Timed check = decided.get(i);
            millis[i] = clock.workingTime(check.acceptedAt(), check.decidedAt()).toMillis();
            if (!check.decidedAt().isAfter(check.deadline())) {
                onTime++;
            }
            outage += check.outageMillis();
        }
        Arrays.sort(millis);
        boolean none = millis.length == 0;
        return new ClockReport(agency, month, limitWorkingDays, millis.length, onTime,
                none ? null : Math.round(10_000.0 * onTime / millis.length) / 10_000.0,
                none ? null : hours(nearestRank(millis, 0.5)), none ? null : hours(nearestRank(millis, 0.9)),
                WorkingDayCalendar.hoursOf(Duration.ofMillis(outage)), breaches);
    }

    /** The month's start and end, in China Standard Time. */
    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(cn.eport.workingdays.WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
    }

    String csvRow() {
        return String.join(",", agency, month.toString(), String.valueOf(timeLimitWorkingDays), String.valueOf(decided),
                String.valueOf(decidedOnTime), text(onTimeShare), text(medianWorkingHours), text(p90WorkingHours),
                String.valueOf(registryOutageWorkingHours), String.valueOf(breaches));
    }

    private static String text(@Nullable Double value) {
        return value == null ? "" : value.toString();
    }

    private static long nearestRank(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double hours(long millis) {
        return WorkingDayCalendar.hoursOf(Duration.ofMillis(millis));
    }
}
