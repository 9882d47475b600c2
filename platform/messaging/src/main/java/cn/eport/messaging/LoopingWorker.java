package cn.eport.messaging;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * A bean whose work is rounds on its own {@link BatchLoop}, started and stopped with the context:
 * the outbox relay, the agency checks' worker and escalation watch, the webhook dispatcher, the mail
 * sender. Workers stop before the relay ({@link #WORKER_PHASE}), so that what they commit in their
 * last round is still relayed; the relay stops before the Kafka binder and the data source go.
 */
public abstract class LoopingWorker implements SmartLifecycle {

    /** The outbox relay's phase: stopped after every worker, before the binder and the data source. */
    public static final int RELAY_PHASE = Integer.MAX_VALUE - 1000;
    /** Every other worker's phase: stopped before the relay. */
    public static final int WORKER_PHASE = Integer.MAX_VALUE - 2000;

    private final BatchLoop loop;
    private final int phase;

    /**
     * @param fullRound how many items a round handles at most: a full round runs again at once
     * @param idleWait  how long an idle worker waits before looking again, unless woken
     */
    protected LoopingWorker(String name, int fullRound, Duration idleWait, int phase) {
        this.loop = new BatchLoop(name, fullRound, idleWait, this::round);
        this.phase = phase;
    }

    /** One round of work; returns how many items it handled. */
    protected abstract int round();

    /** Whether this instance runs its loop at all (a switch in its settings, a missing server); it says why when not. */
    protected boolean runs() {
        return true;
    }

    /** Work was committed: run a round now rather than after the idle wait. */
    public void wakeUp() {
        loop.wakeUp();
    }

    @Override
    public void start() {
        if (runs()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
