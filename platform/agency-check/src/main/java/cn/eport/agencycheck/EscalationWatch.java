package cn.eport.agencycheck;

import cn.eport.workingdays.WorkingDayCalendar;
import cn.eport.contracts.CheckEscalated;
import cn.eport.messaging.LoopingWorker;
import cn.eport.messaging.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Raises the escalations of the agency's statutory clock: a warning when an open check has used 80 %
 * of its limit, a breach when it has used all of it. Each is published once per check and level, in
 * the transaction that records it, so a crash between the two raises it again on the next round,
 * never twice. A check first looked at after its deadline (the service was down) gets both, the
 * warning first. Several instances share the work: each locks the rows it raises.
 */
final class EscalationWatch extends LoopingWorker {

    private static final Logger log = LoggerFactory.getLogger(EscalationWatch.class);
    private static final int ROUND = 500;

    private final AgencyRules rules;
    private final Checks checks;
    private final Outbox outbox;
    private final StatutoryClock clock;
    private final TransactionTemplate transaction;
    private final MeterRegistry meters;

    EscalationWatch(AgencyRules rules, Checks checks, Outbox outbox, StatutoryClock clock, TransactionTemplate transaction,
            MeterRegistry meters, Duration interval) {
        super(rules.agency().id() + "-escalation-watch", ROUND, interval, WORKER_PHASE);
        this.rules = rules;
        this.checks = checks;
        this.outbox = outbox;
        this.clock = clock;
        this.transaction = transaction;
        this.meters = meters;
    }

    /** One round: every check whose warning or deadline has come, up to a round's worth; returns how many. */
    int escalateDue() {
        Integer raised = transaction.execute(status -> {
            Instant now = clock.now();
            List<Checks.Due> due = checks.dueEscalations(now, ROUND);
            for (Checks.Due check : due) {
                if (check.warnedAt() == null) {
                    raise(check, CheckEscalated.Level.WARNING, now);
                }
                if (!check.deadline().isAfter(now)) {
                    raise(check, CheckEscalated.Level.BREACH, now);
                }
            }
            checks.escalated(due, now);
            return due.size();
        });
        return raised == null ? 0 : raised;
    }

    private void raise(Checks.Due check, CheckEscalated.Level level, Instant now) {
        CheckEscalated escalated = new CheckEscalated(check.applicationId(), check.revision(), rules.agency(), level,
                check.acceptedAt(), check.deadline(), check.limitWorkingDays(),
                WorkingDayCalendar.hoursOf(clock.workingTime(check.acceptedAt(), now)),
                WorkingDayCalendar.hoursOf(Duration.ofMillis(check.outageMillis()).plus(parked(check.parkedSince(), now))),
                "REFERRED".equals(check.state()) ? CheckEscalated.WaitingFor.REVIEWER : CheckEscalated.WaitingFor.CHECK, now);
        outbox.publish(escalated);
        meters.counter("eport.checks.escalations", "agency", rules.agency().id(), "level", level.name()).increment();
        log.atWarn().addKeyValue("applicationId", check.applicationId())
                .log("Application {} revision {}: {} of the {}-working-day limit, due {}, waiting for {}", check.applicationId(),
                        check.revision(), level == CheckEscalated.Level.WARNING ? "80 %" : "breach", check.limitWorkingDays(),
                        check.deadline(), escalated.waitingFor());
    }

    private Duration parked(@Nullable Instant since, Instant now) {
        return since == null ? Duration.ZERO : clock.workingTime(since, now);
    }

    @Override
    protected int round() {
        return escalateDue();
    }
}
