package cn.eport.workingdays;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which days are working days in China, and how much working time a time limit has used.
 *
 * <p>A day is a working day when the year's table does not list it as a holiday and it falls from
 * Monday to Friday or the table lists it as a make-up workday (调休). Every question about a date
 * whose year has no table throws {@link MissingHolidayTableException}; services call
 * {@link #requireCovering} or {@link #requireYears} at start-up so that a missing table stops them
 * before it stops a deadline.
 *
 * <p><b>The clock.</b> Time limits run on working time, counted in China Standard Time
 * ({@link #CHINA_STANDARD_TIME}): every instant of a working day is working time and no instant of
 * any other day is, so a working day holds 24 hours of it. A limit of N working days is
 * {@code Duration.ofDays(N)} of working time. Accepted at 10:00 on a working day, such a limit ends
 * at 10:00 on the Nth working day after it; accepted on a day off, the clock starts at 00:00 of the
 * next working day and the limit ends at the end (24:00) of the Nth working day. Hours for a report
 * are {@code workingTimeBetween(from, to).toMinutes() / 60.0}.
 *
 * <p>Instances are immutable and safe to share.
 */
public final class WorkingDayCalendar {

    /** The zone time limits are counted in: China Standard Time. */
    public static final ZoneId CHINA_STANDARD_TIME = ZoneId.of("Asia/Shanghai");

    /** The years {@link #chinese()} looks for a bundled table of. */
    private static final int FIRST_YEAR_LOOKED_FOR = 2000;
    private static final int LAST_YEAR_LOOKED_FOR = 2099;

    private static volatile @Nullable WorkingDayCalendar bundled;

    private final Map<Year, HolidayTable> tables;

    private WorkingDayCalendar(Map<Year, HolidayTable> tables) {
        this.tables = Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    /**
     * The calendar of the tables bundled with this module, {@code cn/eport/workingdays/<year>.txt},
     * loaded and checked once. Adding a year is adding its file.
     *
     * @throws MalformedHolidayTableException when a bundled table does not read
     * @throws IllegalStateException when no table is bundled at all
     */
    public static WorkingDayCalendar chinese() {
        WorkingDayCalendar calendar = bundled;
        if (calendar == null) {
            synchronized (WorkingDayCalendar.class) {
                calendar = bundled;
                if (calendar == null) {
                    calendar = loadBundled();
                    bundled = calendar;
                }
            }
        }
        return calendar;
    }

    /** A calendar of the given tables, each the text a year's file would hold. */
    static WorkingDayCalendar ofTables(Map<Year, String> textByYear) {
        Map<Year, HolidayTable> tables = new TreeMap<>();
        textByYear.forEach((year, text) -> tables.put(year, HolidayTable.parse(year, text)));
        return new WorkingDayCalendar(tables);
    }

    private static WorkingDayCalendar loadBundled() {
        Map<Year, String> texts = new TreeMap<>();
        for (int year = FIRST_YEAR_LOOKED_FOR; year <= LAST_YEAR_LOOKED_FOR; year++) {
            String resource = HolidayTable.resourceOf(Year.of(year));
            try (InputStream in = WorkingDayCalendar.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    texts.put(Year.of(year), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        if (texts.isEmpty()) {
            throw new IllegalStateException("no working-day table on the class path: expected cn/eport/workingdays/<year>.txt");
        }
        return ofTables(texts);
    }

    /** The years this calendar holds a table for, in order. */
    public SortedSet<Year> years() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(tables.keySet()));
    }

    /**
     * This calendar, once it is certain to hold every one of {@code years}.
     *
     * @throws MissingHolidayTableException naming the first year it holds no table for
     */
    public WorkingDayCalendar requireYears(Year... years) {
        for (Year year : years) {
            tableOf(year);
        }
        return this;
    }

    /**
     * This calendar, once it is certain to hold every year from {@code from}'s to {@code to}'s.
     *
     * @throws MissingHolidayTableException naming the first year it holds no table for
     */
    public WorkingDayCalendar requireCovering(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the span ends on " + to + ", before it starts on " + from);
        }
        for (int year = from.getYear(); year <= to.getYear(); year++) {
            tableOf(Year.of(year));
        }
        return this;
    }

    public boolean isWorkingDay(LocalDate date) {
        HolidayTable table = tableOf(Year.from(date));
        if (table.holidays().containsKey(date)) {
            return false;
        }
        return table.makeUpWorkdays().containsKey(date)
                || (date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY);
    }

    /** The holiday's name as its table gives it, Chinese then English; empty for any other day. */
    public Optional<String> holidayName(LocalDate date) {
        return Optional.ofNullable(tableOf(Year.from(date)).holidays().get(date));
    }

    /** The first working day after {@code date}, never {@code date} itself. */
    public LocalDate nextWorkingDay(LocalDate date) {
        LocalDate day = date.plusDays(1);
        while (!isWorkingDay(day)) {
            day = day.plusDays(1);
        }
        return day;
    }

    /**
     * The {@code days}th working day after {@code start}, counting from the day after it whatever
     * {@code start} is; {@code start} itself when {@code days} is 0.
     */
    public LocalDate addWorkingDays(LocalDate start, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("cannot count " + days + " working days");
        }
        LocalDate day = start;
        for (int i = 0; i < days; i++) {
            day = nextWorkingDay(day);
        }
        return day;
    }

    /** The working time within {@code [from, to)}: the part of it that falls on working days. */
    public Duration workingTimeBetween(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("the span ends at " + to + ", before it starts at " + from);
        }
        Duration total = Duration.ZERO;
        for (LocalDate day = dateOf(from); startOf(day).isBefore(to); day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                Instant start = latest(from, startOf(day));
                Instant end = earliest(to, startOf(day.plusDays(1)));
                total = total.plus(Duration.between(start, end));
            }
        }
        return total;
    }

    /**
     * When a limit of {@code workingTime} that started at {@code from} runs out: the earliest instant
     * {@code t} with {@code workingTimeBetween(from, t)} equal to {@code workingTime}. A limit that
     * runs out at the end of a working day ends at 00:00 of the next day, so needs no table for it.
     */
    public Instant deadline(Instant from, Duration workingTime) {
        if (workingTime.isNegative()) {
            throw new IllegalArgumentException("a time limit cannot be negative: " + workingTime);
        }
        if (workingTime.isZero()) {
            return from;
        }
        Duration remaining = workingTime;
        for (LocalDate day = dateOf(from); ; day = day.plusDays(1)) {
            if (isWorkingDay(day)) {
                Instant start = latest(from, startOf(day));
                Duration available = Duration.between(start, startOf(day.plusDays(1)));
                if (remaining.compareTo(available) <= 0) {
                    return start.plus(remaining);
                }
                remaining = remaining.minus(available);
            }
        }
    }

    /**
     * The share of {@code limit} used between {@code from} and {@code now}: 0.8 is the warning
     * threshold's 80%, above 1 the limit is overrun.
     */
    public double fractionUsed(Instant from, Instant now, Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a time limit is positive: " + limit);
        }
        return workingTimeBetween(from, now).toNanos() / (double) limit.toNanos();
    }

    /** Working time as hours for a report or an event, to the hundredth: {@code 57.6}. */
    public static double hoursOf(Duration workingTime) {
        return Math.round(workingTime.toMillis() / 36_000.0) / 100.0;
    }

    @Override
    public String toString() {
        return "WorkingDayCalendar" + tables.keySet();
    }

    private HolidayTable tableOf(Year year) {
        HolidayTable table = tables.get(year);
        if (table == null) {
            throw new MissingHolidayTableException(year, tables.keySet());
        }
        return table;
    }

    private static LocalDate dateOf(Instant instant) {
        return LocalDate.ofInstant(instant, CHINA_STANDARD_TIME);
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay(CHINA_STANDARD_TIME).toInstant();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
