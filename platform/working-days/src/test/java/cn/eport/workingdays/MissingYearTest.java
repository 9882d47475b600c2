package cn.eport.workingdays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MissingYearTest {

    private static final String NO_2027 = "no working-day table for 2027 (the calendar holds 2024, 2025, 2026): "
            + "add cn/eport/workingdays/2027.txt from the State Council's notice for 2027 (国务院办公厅关于2027年部分节假日安排的通知)";

    private final WorkingDayCalendar calendar = WorkingDayCalendar.chinese();

    @Test
    void aDeadlineRunningFrom2026Into2027FailsLoudly() {
        assertMissing2027(() -> calendar.deadline(cst("2026-12-30T10:00"), Duration.ofDays(3)));
    }

    @Test
    void aDeadlineEndingAtTheEndOfNewYearsEveNeedsNoTableForTheNextYear() {
        assertThat(calendar.deadline(cst("2026-12-31T00:00"), Duration.ofDays(1))).isEqualTo(cst("2027-01-01T00:00"));
        assertThat(calendar.deadline(cst("2026-12-30T10:00"), Duration.ofDays(1))).isEqualTo(cst("2026-12-31T10:00"));
    }

    @Test
    void workingTimeReachingIntoAYearWithoutATableFailsLoudly() {
        assertThat(calendar.workingTimeBetween(cst("2026-12-31T10:00"), cst("2027-01-01T00:00"))).isEqualTo(Duration.ofHours(14));
        assertMissing2027(() -> calendar.workingTimeBetween(cst("2026-12-31T10:00"), cst("2027-01-01T00:00:01")));
    }

    @Test
    void noDayOfAYearWithoutATableIsGuessedAsMondayToFriday() {
        assertMissing2027(() -> calendar.isWorkingDay(LocalDate.of(2027, 1, 4)));
        assertMissing2027(() -> calendar.holidayName(LocalDate.of(2027, 1, 1)));
        assertMissing2027(() -> calendar.nextWorkingDay(LocalDate.of(2026, 12, 31)));
        assertThatThrownBy(() -> calendar.isWorkingDay(LocalDate.of(2023, 12, 29)))
                .isInstanceOf(MissingHolidayTableException.class)
                .hasMessageStartingWith("no working-day table for 2023 ");
    }

    @Test
    void requireYearsPassesForTheYearsItHoldsAndFailsForTheFirstItLacks() {
        assertThat(calendar.requireYears(Year.of(2025), Year.of(2026))).isSameAs(calendar);
        assertMissing2027(() -> calendar.requireYears(Year.of(2026), Year.of(2027), Year.of(2028)));
    }

    @Test
    void requireCoveringChecksEveryYearOfTheSpan() {
        assertThat(calendar.requireCovering(LocalDate.of(2024, 1, 1), LocalDate.of(2026, 12, 31))).isSameAs(calendar);
        assertMissing2027(() -> calendar.requireCovering(LocalDate.of(2026, 11, 1), LocalDate.of(2027, 1, 31)));
        assertThatThrownBy(() -> calendar.requireCovering(LocalDate.of(2026, 1, 2), LocalDate.of(2026, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCalendarOfOtherTablesNamesItsOwnYearsWhenOneIsMissing() {
        WorkingDayCalendar only2025 = WorkingDayCalendar.ofTables(Map.of(Year.of(2025), "# notice\n2025-01-01 holiday 元旦\n"));
        assertThatThrownBy(() -> only2025.requireYears(Year.of(2026)))
                .isInstanceOf(MissingHolidayTableException.class)
                .hasMessageStartingWith("no working-day table for 2026 (the calendar holds 2025): add cn/eport/workingdays/2026.txt");
    }

    private static void assertMissing2027(ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(MissingHolidayTableException.class, e -> {
                    assertThat(e.year()).isEqualTo(Year.of(2027));
                    assertThat(e.resource()).isEqualTo("cn/eport/workingdays/2027.txt");
                })
                .hasMessage(NO_2027);
    }

    private static Instant cst(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
    }
}
