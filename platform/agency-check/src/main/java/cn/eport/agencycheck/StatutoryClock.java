package cn.eport.agencycheck;

import cn.eport.workingdays.MissingHolidayTableException;
import cn.eport.workingdays.WorkingDayCalendar;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agency's time limit (时限) in working days, on the Chinese calendar and the platform's one
 * {@link Clock}: when a check accepted at some instant must be warned about and decided by, and how
 * much working time lies between two instants. Plain computation over the calendar.
 */
final class StatutoryClock {

    private static final Logger log = LoggerFactory.getLogger(StatutoryClock.class);

    private final WorkingDayCalendar calendar;
    private final Clock clock;
    private final int limitWorkingDays;
    private final Duration limit;
    private final Duration warning;

    /** A check's two moments: 80 % of its limit, and the limit. */
    record Deadlines(Instant warnAt, Instant deadline) {
    }

    StatutoryClock(WorkingDayCalendar calendar, Clock clock, AgencyCheckSettings.TimeLimit settings) {
        this.calendar = calendar;
        this.clock = clock;
        this.limitWorkingDays = settings.workingDays();
        this.limit = Duration.ofDays(settings.workingDays());
        this.warning = Duration.ofNanos(Math.round(limit.toNanos() * settings.warningShare()));
    }

    /**
     * Fails unless a check accepted now can be given its deadline: a year without its holiday table
     * stops the service at start-up rather than counting that year as Monday to Friday.
     *
     * @throws MissingHolidayTableException naming the year
     */
    StatutoryClock requireTablesForNow() {
        Instant deadline = calendar.deadline(now(), limit);
        log.info("Time limit {} working days: a check accepted now is due by {} (calendar {})", limitWorkingDays, deadline, calendar);
        return this;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    int limitWorkingDays() {
        return limitWorkingDays;
    }

    /**
     * The warning and the deadline of a check accepted at {@code accepted}; empty, with an error
     * logged, where the calendar lacks a year the limit reaches into: the check is still accepted and
     * decided, but not escalated.
     */
    Optional<Deadlines> deadlinesFrom(Instant accepted) {
        try {
            return Optional.of(new Deadlines(calendar.deadline(accepted, warning), calendar.deadline(accepted, limit)));
        } catch (MissingHolidayTableException e) {
            log.error("ALERT: a check accepted at {} has no deadline: {}; add the year's table to platform/working-days", accepted,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The working time within {@code [from, to)}; zero where {@code to} is not after {@code from}. */
    Duration workingTime(Instant from, Instant to) {
        return to.isAfter(from) ? calendar.workingTimeBetween(from, to) : Duration.ZERO;
    }
}
