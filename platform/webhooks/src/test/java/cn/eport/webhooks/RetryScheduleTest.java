package cn.eport.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant FIRST = Instant.parse("2026-03-02T08:00:00Z");
    private static final Duration CAP = Duration.ofHours(1);
    private static final Duration GIVE_UP = Duration.ofHours(24);

    private final RetrySchedule schedule = RetrySchedule.STANDARD;

    @Test
    void theFirstRetryComesFiveToTenSecondsAfterTheFirstFailure() {
        RandomGenerator random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            Duration wait = waitAfter(1, FIRST, random);
            assertThat(wait).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    @Test
    void theLongestPossibleWaitDoublesWithEachFailureUntilTheOneHourCap() {
        assertThat(schedule.ceilingMillis(1)).isEqualTo(10_000);
        assertThat(schedule.ceilingMillis(2)).isEqualTo(20_000);
        assertThat(schedule.ceilingMillis(3)).isEqualTo(40_000);
        assertThat(schedule.ceilingMillis(9)).isEqualTo(2_560_000);
        assertThat(schedule.ceilingMillis(10)).isEqualTo(CAP.toMillis());
        assertThat(schedule.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(CAP.toMillis());
    }

    @Test
    void waitsGrowOnAverageWithEachFailureUntilTheCap() {
        RandomGenerator random = new SplittableRandom(2);
        double previous = 0;
        // The mean is halfway between 5 s and the ceiling, so it grows by more than half each time
        // the ceiling doubles: 7.5 s, 12.5 s, 22.5 s ... 1282.5 s after nine failures.
        for (int failed = 1; failed <= 9; failed++) {
            double mean = meanWaitMillis(failed, random);
            assertThat(mean).as("mean wait after %d failures", failed).isGreaterThan(previous * 1.5);
            previous = mean;
        }
        // At the cap the waits stop growing: uniform between 5 s and 1 h, so about half an hour.
        assertThat(meanWaitMillis(30, random)).isCloseTo(CAP.toMillis() / 2.0, withPercentage(5));
    }

    @Test
    void waitsAreJitteredBetweenTheFloorAndTheCeilingAndNeverExceedTheCap() {
        RandomGenerator random = new SplittableRandom(3);
        for (int failed = 1; failed <= 40; failed++) {
            Set<Duration> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                Duration wait = waitAfter(failed, FIRST, random);
                assertThat(wait).isBetween(Duration.ofSeconds(5), Duration.ofMillis(schedule.ceilingMillis(failed)));
                assertThat(wait).isLessThanOrEqualTo(CAP);
                seen.add(wait);
            }
            assertThat(seen).as("different waits after %d failures", failed).hasSizeGreaterThan(100);
        }
    }

    @Test
    void nothingIsScheduledAfterTwentyFourHoursSinceTheFirstAttempt() {
        RandomGenerator random = new SplittableRandom(4);
        Instant deadline = FIRST.plus(GIVE_UP);
        List<Instant> attempts = new ArrayList<>(List.of(FIRST));
        Optional<Instant> next = schedule.nextAttempt(1, FIRST, FIRST, random);
        while (next.isPresent()) {
            assertThat(next.get()).isAfter(attempts.get(attempts.size() - 1)).isBeforeOrEqualTo(deadline);
            attempts.add(next.get());
            next = schedule.nextAttempt(attempts.size(), FIRST, next.get(), random);
        }

        // Waits average about half an hour once capped: some fifty attempts in the day.
        assertThat(attempts).hasSizeBetween(20, 200);
        assertThat(schedule.nextAttempt(attempts.size(), FIRST, deadline, random)).isEmpty();
        assertThat(schedule.nextAttempt(3, FIRST, deadline.plusSeconds(1), random)).isEmpty();
    }

    @Test
    void aWaitThatWouldPassTheDeadlineEndsAtItForOneLastTry() {
        Instant almostThere = FIRST.plus(GIVE_UP).minusSeconds(30);

        Optional<Instant> next = schedule.nextAttempt(20, FIRST, almostThere, new LongestWait());

        assertThat(next).contains(FIRST.plus(GIVE_UP));
    }

    @Test
    void theSameRandomSeedGivesTheSameSchedule() {
        assertThat(schedule.nextAttempt(4, FIRST, FIRST.plusSeconds(60), new SplittableRandom(6)))
                .isEqualTo(schedule.nextAttempt(4, FIRST, FIRST.plusSeconds(60), new SplittableRandom(6)));
    }

    @Test
    void refusesToScheduleBeforeAnyAttemptHasFailedOrWithAWaitOfNothing() {
        assertThatThrownBy(() -> schedule.nextAttempt(0, FIRST, FIRST, new SplittableRandom(7)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, CAP, GIVE_UP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(CAP, Duration.ofSeconds(5), GIVE_UP)).isInstanceOf(IllegalArgumentException.class);
    }

    private Duration waitAfter(int failed, Instant now, RandomGenerator random) {
        return Duration.between(now, schedule.nextAttempt(failed, FIRST, now, random).orElseThrow());
    }

    private double meanWaitMillis(int failed, RandomGenerator random) {
        long total = 0;
        int draws = 2000;
        for (int i = 0; i < draws; i++) {
            total += waitAfter(failed, FIRST, random).toMillis();
        }
        return (double) total / draws;
    }

    /** Always draws the top of the range. */
    private static final class LongestWait implements RandomGenerator {

        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long origin, long bound) {
            return bound - 1;
        }
    }
}
