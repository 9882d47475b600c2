package cn.eport.workingdays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeLimitTest {

    private final WorkingDayCalendar calendar = WorkingDayCalendar.chinese();

    @ParameterizedTest(name = "accepted {0}, {1} working days: ends {2}")
    @CsvSource({
            // the Friday before National Day 2025: the make-up Sunday counts, the holiday does not
            "2025-09-26T10:00, 3, 2025-09-30T10:00",
            "2025-09-26T10:00, 4, 2025-10-09T10:00",
            "2025-09-26T10:00, 5, 2025-10-10T10:00",
            "2025-09-30T10:00, 1, 2025-10-09T10:00", // the eve of National Day
            "2025-10-03T09:00, 1, 2025-10-10T00:00", // accepted on a holiday: the whole of 9 October
            "2025-09-27T15:00, 1, 2025-09-29T00:00", // accepted on a Saturday: the whole make-up Sunday
            // Mid-Autumn and National Day 2026
            "2026-09-24T16:30, 2, 2026-09-29T16:30",
            "2026-09-30T10:00, 1, 2026-10-08T10:00",
            "2026-09-30T10:00, 3, 2026-10-10T10:00", // the third is the make-up Saturday
            // New Year's Eve 2025 into 2026
            "2025-12-31T10:00, 1, 2026-01-04T10:00",
            "2025-12-31T10:00, 2, 2026-01-05T10:00",
            // the Spring Festival 2026
            "2026-02-13T10:00, 1, 2026-02-14T10:00",
            "2026-02-13T10:00, 2, 2026-02-24T10:00",
            // a plain weekend
            "2025-03-07T17:00, 1, 2025-03-10T17:00",
            "2025-03-07T17:00, 0, 2025-03-07T17:00",
    })
    void aLimitOfWorkingDaysEndsAtTheSameTimeOnTheLastOfThem(String accepted, int days, String ends) {
        assertThat(calendar.deadline(cst(accepted), Duration.ofDays(days))).isEqualTo(cst(ends));
    }

    @Test
    void aDeadlineFromAWorkingDayIsThatManyWorkingDaysLaterAtTheSameTime() {
        for (LocalDate day = LocalDate.of(2024, 1, 1); day.getYear() < 2026; day = day.plusDays(1)) {
            if (calendar.isWorkingDay(day)) {
                for (int days = 1; days <= 20; days++) {
                    Instant accepted = day.atTime(LocalTime.of(14, 15)).atZone(WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
                    Instant expected = calendar.addWorkingDays(day, days).atTime(LocalTime.of(14, 15))
                            .atZone(WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
                    assertThat(calendar.deadline(accepted, Duration.ofDays(days))).as("%s + %d", day, days).isEqualTo(expected);
                    assertThat(calendar.workingTimeBetween(accepted, expected)).as("%s + %d", day, days).isEqualTo(Duration.ofDays(days));
                }
            }
        }
    }

    @Test
    void aLimitOfHoursRunsOnlyThroughWorkingDays() {
        assertThat(calendar.deadline(cst("2025-09-30T20:00"), Duration.ofHours(6))).isEqualTo(cst("2025-10-09T02:00"));
        assertThat(calendar.deadline(cst("2025-09-30T20:00"), Duration.ofHours(4))).isEqualTo(cst("2025-10-01T00:00"));
    }

    @ParameterizedTest(name = "[{0}, {1}) holds {2} of working time")
    @CsvSource({
            "2025-09-26T10:00, 2025-10-09T10:00, PT96H",    // 14 h Friday, the make-up Sunday, Monday, Tuesday, 10 h
            "2025-09-27T00:00, 2025-09-28T00:00, PT0S",     // a Saturday
            "2025-10-01T00:00, 2025-10-09T00:00, PT0S",     // the holiday
            "2025-09-29T09:00, 2025-09-29T17:30, PT8H30M",
            "2026-01-01T00:00, 2026-01-05T12:00, PT36H",    // the make-up Sunday and half a Monday
            "2026-02-13T18:00, 2026-02-24T06:00, PT36H",    // 6 h Friday, the make-up Saturday, 6 h Tuesday
            "2025-09-29T09:00, 2025-09-29T09:00, PT0S",
    })
    void countsTheWorkingTimeOfASpan(String from, String to, Duration workingTime) {
        assertThat(calendar.workingTimeBetween(cst(from), cst(to))).isEqualTo(workingTime);
    }

    @Test
    void refusesASpanThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> calendar.workingTimeBetween(cst("2025-09-29T10:00"), cst("2025-09-29T09:00")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> calendar.deadline(cst("2025-09-29T10:00"), Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "accepted {0}, at {1}: {2} of 5 working days used")
    @CsvSource({
            "2025-09-26T10:00, 2025-09-26T10:00, 0.0",
            "2025-09-26T10:00, 2025-09-28T10:00, 0.2",  // Friday's 14 h and Sunday's 10 h
            "2025-09-26T10:00, 2025-10-09T10:00, 0.8",  // the warning, 80%, reached only after the holiday
            "2025-09-26T10:00, 2025-10-08T23:00, 0.7166666666666667",
            "2025-09-26T10:00, 2025-10-10T10:00, 1.0",
            "2025-09-26T10:00, 2025-10-11T10:00, 1.2",  // the make-up Saturday counts against an overrun limit
    })
    void reportsTheShareOfALimitUsed(String accepted, String now, double used) {
        assertThat(calendar.fractionUsed(cst(accepted), cst(now), Duration.ofDays(5))).isEqualTo(used);
    }

    @Test
    void refusesALimitOfNothing() {
        assertThatThrownBy(() -> calendar.fractionUsed(cst("2025-09-26T10:00"), cst("2025-09-27T10:00"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Instant cst(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(WorkingDayCalendar.CHINA_STANDARD_TIME).toInstant();
    }
}
