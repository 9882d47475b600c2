package cn.eport.workingdays;

import java.time.Year;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The calendar was asked about a year it holds no table for. Working days cannot be guessed: the
 * State Council's notice for the year decides them, so the answer is to add its table.
 */
public final class MissingHolidayTableException extends RuntimeException {

    private final Year year;
    private final String resource;

    MissingHolidayTableException(Year year, Collection<Year> held) {
        super("no working-day table for " + year + " (the calendar holds "
                + (held.isEmpty() ? "none" : held.stream().map(Year::toString).collect(Collectors.joining(", ")))
                + "): add " + HolidayTable.resourceOf(year) + " from the State Council's notice for " + year
                + " (国务院办公厅关于" + year + "年部分节假日安排的通知)");
        this.year = year;
        this.resource = HolidayTable.resourceOf(year);
    }

    /** The year asked about. */
    public Year year() {
        return year;
    }

    /** The class-path resource that would hold its table, e.g. {@code cn/eport/workingdays/2027.txt}. */
    public String resource() {
        return resource;
    }
}
