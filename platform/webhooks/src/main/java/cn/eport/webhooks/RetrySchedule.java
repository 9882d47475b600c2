package cn.eport.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a failed webhook again: exponential backoff with full jitter, until a deadline.
 *
 * <p>After the n-th failed attempt the wait is drawn uniformly between the first wait (5 s) and
 * {@code min(maxWait, firstWait × 2^n)}: 5-10 s after the first failure, 5-20 s after the second,
 * and so on up to 5 s - 1 h. Full jitter, not decorrelated jitter, because it is a pure function of
 * the attempt number: decorrelated jitter draws each wait from the previous one, which would have to
 * be stored with every pending delivery. And full jitter spreads out best the many messages that
 * fail together when one receiver goes down, so that they do not all come back at once when it
 * returns. The first wait is also the floor, so no retry follows a failure at once.
 *
 * <p>No attempt is scheduled later than {@code giveUpAfter} (24 h) after the first one: a wait that
 * would pass the deadline is cut short to end at it, for one last try, and once the deadline has
 * passed the answer is empty and the caller dead-letters the message.
 *
 * @param firstWait the shortest wait; the first wait is at most twice it
 * @param maxWait the longest any single wait may be
 * @param giveUpAfter how long after the first attempt the last one may be
 */
public record RetrySchedule(Duration firstWait, Duration maxWait, Duration giveUpAfter) {

    /** 5 s first, at most 1 h between attempts, 24 h in all. */
    public static final RetrySchedule STANDARD =
            new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24));

    public RetrySchedule {
        if (firstWait.isNegative() || firstWait.isZero() || maxWait.compareTo(firstWait) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 < firstWait <= maxWait and giveUpAfter >= 0");
        }
    }

    /**
     * When to make the next attempt, or empty when it is time to give up.
     *
     * @param failedAttempts how many attempts have failed so far, at least 1
     * @param firstAttempt when the first attempt was made
     * @param now when the latest attempt failed
     * @param random the source of jitter; a seeded one makes the schedule repeatable in tests
     */
    public Optional<Instant> nextAttempt(int failedAttempts, Instant firstAttempt, Instant now, RandomGenerator random) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("no attempt has failed yet: " + failedAttempts);
        }
        Instant deadline = firstAttempt.plus(giveUpAfter);
        if (!now.isBefore(deadline)) {
            return Optional.empty();
        }
        long floor = firstWait.toMillis();
        long ceiling = ceilingMillis(failedAttempts);
        Instant next = now.plusMillis(floor == ceiling ? floor : random.nextLong(floor, ceiling + 1));
        return Optional.of(next.isAfter(deadline) ? deadline : next);
    }

    /** {@code min(maxWait, firstWait × 2^n)} in milliseconds, without overflowing for large n. */
    long ceilingMillis(int failedAttempts) {
        long max = maxWait.toMillis();
        long wait = firstWait.toMillis();
        for (int i = 0; i < failedAttempts && wait < max; i++) {
            wait *= 2;
        }
        return Math.min(wait, max);
    }
}
