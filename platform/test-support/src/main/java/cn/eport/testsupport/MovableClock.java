package cn.eport.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, set to another time by a test: it keeps running from there at the real pace,
 * so a service under test behaves as it would on that day. A service takes it as its one
 * {@link Clock} bean; {@link #reset()} gives it the real time again.
 */
public final class MovableClock extends Clock {

    private final Clock real = Clock.systemUTC();
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    public MovableClock() {
        this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    private MovableClock(AtomicReference<Duration> offset, ZoneId zone) {
        this.offset = offset;
        this.zone = zone;
    }

    /** From now on it reads {@code instant}, and runs on from there. */
    public void setTo(Instant instant) {
        offset.set(Duration.between(real.instant(), instant));
    }

    public void advance(Duration by) {
        offset.updateAndGet(held -> held.plus(by));
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return real.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same clock, moved with it, in another zone. */
    @Override
    public Clock withZone(ZoneId other) {
        return new MovableClock(offset, other);
    }
}
