package cn.eport.messaging;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background thread running rounds of batch work: at once again after a full round, otherwise
 * after the idle wait or as soon as someone wakes it (work was committed); a failing round is tried
 * again with a backoff that doubles up to ten seconds. Stopping gives the round in flight a few
 * seconds, then interrupts it. The outbox relay and the agency checks' worker both run on one.
 */
public final class BatchLoop {

    private static final Logger log = LoggerFactory.getLogger(BatchLoop.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final long GRACE_MILLIS = 5_000;

    private final String name;
    private final int fullRound;
    private final Duration idleWait;
    private final IntSupplier round;
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running;
    private @Nullable Thread thread;

    /**
     * @param fullRound how many items a round handles at most: a round that handled that many runs again at once
     * @param round     one round of work; returns how many items it handled
     */
    public BatchLoop(String name, int fullRound, Duration idleWait, IntSupplier round) {
        this.name = name;
        this.fullRound = fullRound;
        this.idleWait = idleWait;
        this.round = round;
    }

    /** Work is waiting: run a round now rather than after the idle wait. */
    public void wakeUp() {
        work.release();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread loop = new Thread(this::runUntilStopped, name);
        loop.setDaemon(true);
        loop.start();
        thread = loop;
    }

    public synchronized void stop() {
        running = false;
        Thread loop = thread;
        if (loop == null) {
            return;
        }
        work.release();
        try {
            loop.join(GRACE_MILLIS);
            if (loop.isAlive()) {
                loop.interrupt();
                loop.join(GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    public boolean isRunning() {
        return running;
    }

    private void runUntilStopped() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try {
                int handled = round.getAsInt();
                backoff = FIRST_BACKOFF;
                if (handled < fullRound) {
                    work.tryAcquire(idleWait.toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("{} failed, trying again in {} ms", name, backoff.toMillis(), e);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }
}
