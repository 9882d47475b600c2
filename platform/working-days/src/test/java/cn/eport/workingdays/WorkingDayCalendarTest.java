package cn.eport.workingdays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Year;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WorkingDayCalendarTest {

    private final WorkingDayCalendar calendar = WorkingDayCalendar.chinese();

    @Test
    void bundlesTheTablesOf2024To2026AndLoadsThemOnce() {
        assertThat(calendar.years()).containsExactly(Year.of(2024), Year.of(2025), Year.of(2026));
        assertThat(WorkingDayCalendar.chinese()).isSameAs(calendar);
        assertThat(calendar).hasToString("WorkingDayCalendar[2024, 2025, 2026]");
    }

    @ParameterizedTest
    @ValueSource(ints = {2024, 2025, 2026})
    void everyBundledTableOpensByNamingTheStateCouncilNotice(int year) throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("cn/eport/workingdays/" + year + ".txt")) {
            assertThat(in).isNotNull();
            String firstLine = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            assertThat(firstLine).startsWith("# 国务院办公厅关于" + year + "年部分节假日安排的通知（国办发明电〔" + (year - 1) + "〕");
        }
    }

    @ParameterizedTest(name = "{0} is a working day: {1}")
    @CsvSource({
            // plain weeks
            "2025-03-07, true",  // Friday
            "2025-03-08, false", // Saturday
            "2025-03-09, false", // Sunday
            "2025-03-10, true",  // Monday
            // National Day and Mid-Autumn 2025
            "2025-09-26, true",  // Friday before
            "2025-09-27, false", // Saturday
            "2025-09-28, true",  // make-up Sunday
            "2025-09-30, true",  // Tuesday, the eve
            "2025-10-01, false",
            "2025-10-08, false", // Wednesday, the last day of the holiday
            "2025-10-09, true",
            "2025-10-11, true",  // make-up Saturday
            "2025-10-12, false",
            // New Year 2026
            "2025-12-31, true",  // New Year's Eve, a Wednesday
            "2026-01-01, false",
            "2026-01-02, false", // Friday
            "2026-01-03, false",
            "2026-01-04, true",  // make-up Sunday
            "2026-01-05, true",
            // Spring Festival 2026
            "2026-02-13, true",
            "2026-02-14, true",  // make-up Saturday
            "2026-02-16, false", // Monday
            "2026-02-23, false", // Monday, the last day of the holiday
            "2026-02-24, true",
            "2026-02-28, true",  // make-up Saturday
            "2026-03-01, false",
            // Mid-Autumn and National Day 2026
            "2026-09-20, true",  // make-up Sunday
            "2026-09-25, false", // Friday
            "2026-09-30, true",  // Wednesday, the eve
            "2026-10-07, false",
            "2026-10-10, true",  // make-up Saturday
            // 2024 and the Spring Festival 2025
            "2024-02-18, true",  // make-up Sunday
            "2024-05-11, true",  // make-up Saturday
            "2024-06-10, false", // Dragon Boat, a Monday
            "2025-01-26, true",  // make-up Sunday
            "2025-01-28, false",
            "2025-02-04, false",
    })
    void knowsTheHolidaysAndTheMakeUpWorkdaysOfTheNotices(LocalDate date, boolean working) {
        assertThat(calendar.isWorkingDay(date)).isEqualTo(working);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2025-03-07, 2025-03-10", // over a plain weekend
            "2025-09-26, 2025-09-28", // to the make-up Sunday
            "2025-09-30, 2025-10-09", // over National Day
            "2025-12-31, 2026-01-04", // over New Year to its make-up Sunday
            "2026-02-13, 2026-02-14",
            "2026-02-14, 2026-02-24", // over the Spring Festival
            "2026-09-24, 2026-09-28", // over the Mid-Autumn Festival
    })
    void findsTheNextWorkingDayNeverTheDayItself(LocalDate date, LocalDate next) {
        assertThat(calendar.nextWorkingDay(date)).isEqualTo(next);
    }

    @ParameterizedTest(name = "{0} + {1} working days = {2}")
    @CsvSource({
            "2025-09-26, 0, 2025-09-26",
            "2025-09-26, 3, 2025-09-30",
            "2025-09-26, 4, 2025-10-09",
            "2025-09-26, 5, 2025-10-10",
            "2025-10-01, 1, 2025-10-09", // counting from a holiday
            "2025-01-24, 3, 2025-02-05", // the make-up Sunday, Monday, then over the Spring Festival
            "2026-02-13, 2, 2026-02-24",
    })
    void addsWorkingDaysCountingFromTheDayAfter(LocalDate start, int days, LocalDate expected) {
        assertThat(calendar.addWorkingDays(start, days)).isEqualTo(expected);
    }

    @Test
    void refusesToCountBackwards() {
        assertThatThrownBy(() -> calendar.addWorkingDays(LocalDate.of(2025, 9, 26), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "2025-10-05 | 国庆节、中秋节 National Day and the Mid-Autumn Festival",
            "2026-02-20 | 春节 Spring Festival",
            "2026-01-02 | 元旦 New Year's Day",
            "2024-09-16 | 中秋节 Mid-Autumn Festival",
    })
    void namesTheHoliday(LocalDate date, String name) {
        assertThat(calendar.holidayName(date)).contains(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-09-28", "2025-03-08", "2025-09-30"})
    void namesNoHolidayOnAnyOtherDay(LocalDate date) {
        assertThat(calendar.holidayName(date)).isEmpty();
    }
}
