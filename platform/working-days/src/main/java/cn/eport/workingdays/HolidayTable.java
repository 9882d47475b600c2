package cn.eport.workingdays;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One year's arrangement, read from its table: the holidays (days off, whatever the weekday) and the
 * make-up workdays (weekend days worked). Every other day is a working day from Monday to Friday.
 *
 * <p>A table opens with a comment naming the notice it comes from; then one entry a line,
 * {@code <date>[..<last date>] holiday|workday <name>}, with blank lines and {@code #} comments
 * between them.
 */
record HolidayTable(Year year, Map<LocalDate, String> holidays, Map<LocalDate, String> makeUpWorkdays) {

    private static final Pattern ENTRY = Pattern.compile("(\\S+?)(?:\\.\\.(\\S+))?\\s+(\\S+)\\s+(\\S.*)");

    HolidayTable {
        holidays = Map.copyOf(holidays);
        makeUpWorkdays = Map.copyOf(makeUpWorkdays);
    }

    static String resourceOf(Year year) {
        return "cn/eport/workingdays/" + year + ".txt";
    }

    static HolidayTable parse(Year year, String text) {
        return new Reader(year).read(text);
    }

    /** Reads one table, keeping the line each date came from so that a conflict names both lines. */
    private static final class Reader {

        private final Year year;
        private final String resource;
        private final Map<LocalDate, String> holidays = new HashMap<>();
        private final Map<LocalDate, String> makeUpWorkdays = new HashMap<>();
        private final Map<LocalDate, Integer> lineOf = new HashMap<>();

        Reader(Year year) {
            this.year = year;
            this.resource = resourceOf(year);
        }

        HolidayTable read(String text) {
            String[] lines = text.split("\\R", -1);
            if (!lines[0].strip().startsWith("#")) {
                throw malformed(1, "a table opens with a comment naming the State Council notice it comes from");
            }
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    readEntry(i + 1, line);
                }
            }
            if (holidays.isEmpty()) {
                throw malformed(0, "the table names no holidays: a year always has some, is the file cut short?");
            }
            return new HolidayTable(year, holidays, makeUpWorkdays);
        }

        private void readEntry(int number, String line) {
            Matcher entry = ENTRY.matcher(line);
            if (!entry.matches()) {
                throw malformed(number, "expected '<date>[..<last date>] holiday|workday <name>', found '" + line + "'");
            }
            LocalDate first = date(number, entry.group(1));
            LocalDate last = entry.group(2) == null ? first : date(number, entry.group(2));
            if (last.isBefore(first)) {
                throw malformed(number, "the range ends on " + last + ", before it starts on " + first);
            }
            String kind = entry.group(3);
            String name = entry.group(4).strip();
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                switch (kind) {
                    case "holiday" -> add(number, day, name, holidays);
                    case "workday" -> {
                        if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                            throw malformed(number, "a make-up workday falls on a Saturday or Sunday, "
                                    + day + " is a " + day.getDayOfWeek());
                        }
                        add(number, day, name, makeUpWorkdays);
                    }
                    default -> throw malformed(number, "the kind of day is 'holiday' or 'workday', found '" + kind + "'");
                }
            }
        }

        private LocalDate date(int number, String text) {
            LocalDate date;
            try {
                date = LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw malformed(number, "'" + text + "' is not a date written yyyy-mm-dd");
            }
            if (date.getYear() != year.getValue()) {
                throw malformed(number, date + " is not in " + year + ": each year's days belong in that year's table");
            }
            return date;
        }

        private void add(int number, LocalDate day, String name, Map<LocalDate, String> days) {
            Integer earlier = lineOf.putIfAbsent(day, number);
            if (earlier != null) {
                throw malformed(number, day + " is already listed on line " + earlier + " as "
                        + (holidays.containsKey(day) ? "a holiday" : "a make-up workday"));
            }
            days.put(day, name);
        }

        private MalformedHolidayTableException malformed(int line, String problem) {
            return new MalformedHolidayTableException(resource, line, problem);
        }
    }
}
