package cn.eport.workingdays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.Year;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HolidayTableTest {

    private static final String HEADER = "# 国务院办公厅关于2025年部分节假日安排的通知\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " | ", quoteCharacter = '"', value = {
            // entries, ';' between lines | line at fault | problem
            "2025-13-01 holiday 元旦                         | 2 | '2025-13-01' is not a date written yyyy-mm-dd",
            "2025-10-01 holday 国庆节                         | 2 | the kind of day is 'holiday' or 'workday', found 'holday'",
            "2025-10-01                                      | 2 | expected '<date>[..<last date>] holiday|workday <name>', found '2025-10-01'",
            "2025-10-01 holiday                              | 2 | expected '<date>[..<last date>] holiday|workday <name>', found '2025-10-01 holiday'",
            "2024-12-31 holiday 元旦                         | 2 | 2024-12-31 is not in 2025: each year's days belong in that year's table",
            "2025-12-31..2026-01-01 holiday 元旦             | 2 | 2026-01-01 is not in 2025: each year's days belong in that year's table",
            "2025-10-08..2025-10-01 holiday 国庆节            | 2 | the range ends on 2025-10-01, before it starts on 2025-10-08",
            "2025-01-01 holiday 元旦;2025-09-29 workday 调休  | 3 | a make-up workday falls on a Saturday or Sunday, 2025-09-29 is a MONDAY",
            "2025-10-01..2025-10-08 holiday 国庆节;;2025-10-04 workday 调休 | 4 | 2025-10-04 is already listed on line 2 as a holiday",
            "2025-09-28 workday 调休;2025-09-28 holiday 国庆节 | 3 | 2025-09-28 is already listed on line 2 as a make-up workday",
            "2025-10-01..2025-10-03 holiday 国庆节;2025-10-03..2025-10-05 holiday 国庆节 | 3 | 2025-10-03 is already listed on line 2 as a holiday",
            "2025-09-28 workday 调休                         | 0 | the table names no holidays: a year always has some, is the file cut short?",
    })
    void refusesAMalformedTableNamingTheFileAndTheLine(String entries, int line, String problem) {
        String text = HEADER + entries.replace(';', '\n') + "\n";
        assertThatThrownBy(() -> WorkingDayCalendar.ofTables(Map.of(Year.of(2025), text)))
                .isInstanceOfSatisfying(MalformedHolidayTableException.class, e -> {
                    assertThat(e.resource()).isEqualTo("cn/eport/workingdays/2025.txt");
                    assertThat(e.line()).isEqualTo(line);
                })
                .hasMessage("cn/eport/workingdays/2025.txt" + (line > 0 ? " line " + line : "") + ": " + problem);
    }

    @Test
    void refusesATableThatDoesNotNameItsSource() {
        assertThatThrownBy(() -> WorkingDayCalendar.ofTables(Map.of(Year.of(2025), "2025-01-01 holiday 元旦\n")))
                .isInstanceOf(MalformedHolidayTableException.class)
                .hasMessage("cn/eport/workingdays/2025.txt line 1: a table opens with a comment naming the State Council notice it comes from");
    }

    @Test
    void readsRangesCommentsAndBlankLines() {
        String text = HEADER + """

                # National Day
                  2025-09-28              workday  调休 make-up for National Day
                2025-10-01..2025-10-08    holiday  国庆节、中秋节 National Day and the Mid-Autumn Festival
                """;
        WorkingDayCalendar calendar = WorkingDayCalendar.ofTables(Map.of(Year.of(2025), text));

        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 9, 28))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 9, 30))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 10, 8))).isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 10, 9))).isTrue();
        assertThat(calendar.holidayName(LocalDate.of(2025, 10, 1))).contains("国庆节、中秋节 National Day and the Mid-Autumn Festival");
        // only what the table says: without the real table's 2025-10-11, that Saturday is a day off
        assertThat(calendar.isWorkingDay(LocalDate.of(2025, 10, 11))).isFalse();
    }
}
