package cn.eport.workingdays;

/** A year's table does not read as a holiday arrangement: the calendar refuses to load it. */
public final class MalformedHolidayTableException extends RuntimeException {

    private final String resource;
    private final int line;

    MalformedHolidayTableException(String resource, int line, String problem) {
        super(resource + (line > 0 ? " line " + line : "") + ": " + problem);
        this.resource = resource;
        this.line = line;
    }

    /** The table's class-path resource, e.g. {@code cn/eport/workingdays/2026.txt}. */
    public String resource() {
        return resource;
    }

    /** The line at fault, counted from 1, or 0 when the fault is the table as a whole. */
    public int line() {
        return line;
    }
}
