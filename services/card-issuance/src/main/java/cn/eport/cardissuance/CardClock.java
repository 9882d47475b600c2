package cn.eport.cardissuance;

import cn.eport.messaging.LoopingWorker;

/**
 * The cards' clock: once a {@link CardSettings#clockInterval()}, raises the 30-day reminders and expires the
 * cards whose validity ran out ({@link CardLifecycle#tick}). Several instances share the work: each round locks
 * the cards it takes.
 */
final class CardClock extends LoopingWorker {

    private static final int ROUND = 500;

    private final CardLifecycle lifecycle;

    CardClock(CardLifecycle lifecycle, CardSettings settings) {
        super("card-clock", ROUND, settings.clockInterval(), WORKER_PHASE);
        this.lifecycle = lifecycle;
    }

    @Override
    protected int round() {
        return lifecycle.tick(ROUND);
    }
}
