package cn.eport.agencycheck;

import cn.eport.messaging.LoopingWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works through pending checks: claims a batch, asks the registry everything the batch needs in
 * one round (outside any transaction), then in one transaction records every decision with its
 * verdict, or parks the batch when the registry could not answer, to be retried after a delay that
 * doubles with each attempt. While checks are parked, one of them is tried every probe interval;
 * the first answer from the registry makes every parked check due at once, so an outage ends for
 * all of them when the registry returns, not when each one's own delay runs out. A check is decided exactly once: the decision is an update of a
 * PENDING row under this worker's lease, in the transaction that publishes the verdict.
 */
final class CheckWorker extends LoopingWorker {

    private static final Logger log = LoggerFactory.getLogger(CheckWorker.class);

    private final AgencyRules rules;
    private final Registry registry;
    private final Checks checks;
    private final AgencyCheckPipeline pipeline;
    private final TransactionTemplate transaction;
    private final AgencyCheckSettings settings;
    private final MeterRegistry meters;
    /**
     * Whether checks may be parked on an outage, so that the registry's next answer should release
     * them all. True at start: checks parked before a restart are released by the first answer.
     */
    private volatile boolean mayHaveParked = true;
    private volatile long lastProbe = System.nanoTime();

    CheckWorker(AgencyRules rules, Registry registry, Checks checks, AgencyCheckPipeline pipeline,
            TransactionTemplate transaction, AgencyCheckSettings settings, MeterRegistry meters) {
        super(rules.agency().id() + "-check-worker", settings.batchSize(), settings.pollInterval(), WORKER_PHASE);
        this.rules = rules;
        this.registry = registry;
        this.checks = checks;
        this.pipeline = pipeline;
        this.transaction = transaction;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * One round: claims due checks, asks the registry for every record they need at once (outside
     * any transaction), then records every decision, or parks every check if the registry could not
     * answer. Returns how many checks it claimed.
     */
    int checkDue() {
        List<Checks.Claimed> claimed = dueOrProbe();
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<Checks.Claimed, List<RegistryQuery>> queries = new LinkedHashMap<>();
        claimed.forEach(check -> queries.put(check, rules.registryQueries(check.application())));
        Map<RegistryQuery, Optional<RegistryRecord>> answers;
        try {
            answers = registry.lookUpAll(queries.values());
        } catch (Registry.RegistryUnavailableException e) {
            mayHaveParked = true;
            transaction.executeWithoutResult(status -> claimed.forEach(check -> park(check, e.getMessage())));
            return claimed.size();
        }
        if (mayHaveParked) {
            mayHaveParked = false;
            int released = checks.releaseParked();
            if (released > 0) {
                log.info("The {} registry answers again: {} parked checks are due now", rules.agency().id(), released);
                wakeUp();
            }
        }
        List<Checks.Decided> decided = new ArrayList<>(claimed.size());
        List<Checks.Claimed> failed = new ArrayList<>();
        queries.forEach((check, asked) -> {
            try {
                decided.add(pipeline.decide(check, RegistryFacts.of(asked, answers)));
            } catch (RuntimeException e) {
                // A check the rules cannot decide (a bug, not an outage) waits like one, without holding up the others.
                log.error("Application {} revision {}: the rules failed; parking the check", check.applicationId(),
                        check.revision(), e);
                failed.add(check);
            }
        });
        List<Checks.Decided> signed = pipeline.signed(decided);
        transaction.executeWithoutResult(status -> {
            pipeline.record(signed);
            failed.forEach(check -> park(check, "the rules failed"));
        });
        return claimed.size();
    }

    /** The due checks; when none is due and checks are parked, one of them as the probe, once a probe interval. */
    private List<Checks.Claimed> dueOrProbe() {
        List<Checks.Claimed> due = checks.claimDue(settings.batchSize(), settings.lease());
        if (!due.isEmpty() || !mayHaveParked || System.nanoTime() - lastProbe < settings.probeInterval().toNanos()) {
            return due;
        }
        lastProbe = System.nanoTime();
        List<Checks.Claimed> probe = checks.claimProbe(settings.lease());
        mayHaveParked = !probe.isEmpty();
        return probe;
    }

    private void park(Checks.Claimed check, String reason) {
        checks.park(check, settings.recheckDelay(check.attempts() + 1), reason, pipeline.now());
        meters.counter("eport.checks.parked.total", "agency", rules.agency().id()).increment();
        log.atWarn().addKeyValue("applicationId", check.applicationId()).log("Application {} revision {} parked (attempt {}): {}",
                check.applicationId(), check.revision(), check.attempts() + 1, reason);
    }

    @Override
    protected int round() {
        return checkDue();
    }
}
