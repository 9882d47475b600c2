package cn.eport.agencycheck;

import cn.eport.messaging.BatchLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works through pending checks: claims a batch, asks the registry everything the batch needs in
 * one round (outside any transaction), then in one transaction records every decision with its
 * verdict, or parks the batch when the registry could not answer, to be retried after a delay that
 * doubles with each attempt. A check is decided exactly once: the decision is an update of a
 * PENDING row under this worker's lease, in the transaction that publishes the verdict.
 */
final class CheckWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CheckWorker.class);

    private final AgencyRules rules;
    private final Registry registry;
    private final Checks checks;
    private final AgencyCheckPipeline pipeline;
    private final TransactionTemplate transaction;
    private final AgencyCheckSettings settings;
    private final MeterRegistry meters;
    private final BatchLoop loop;

    CheckWorker(AgencyRules rules, Registry registry, Checks checks, AgencyCheckPipeline pipeline,
            TransactionTemplate transaction, AgencyCheckSettings settings, MeterRegistry meters) {
        this.rules = rules;
        this.registry = registry;
        this.checks = checks;
        this.pipeline = pipeline;
        this.transaction = transaction;
        this.settings = settings;
        this.meters = meters;
        this.loop = new BatchLoop(rules.agency().id() + "-check-worker", settings.batchSize(), settings.pollInterval(), this::checkDue);
    }

    void wakeUp() {
        loop.wakeUp();
    }

    /**
     * One round: claims due checks, asks the registry for every record they need at once (outside
     * any transaction), then records every decision, or parks every check if the registry could not
     * answer. Returns how many checks it claimed.
     */
    int checkDue() {
        List<Checks.Claimed> claimed = checks.claimDue(settings.batchSize(), settings.lease());
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<Checks.Claimed, List<RegistryQuery>> queries = new LinkedHashMap<>();
        claimed.forEach(check -> queries.put(check, rules.registryQueries(check.application())));
        Map<RegistryQuery, Optional<RegistryRecord>> answers;
        try {
            answers = registry.lookUp(queries.values().stream().flatMap(List::stream).distinct().toList());
        } catch (Registry.RegistryUnavailableException e) {
            transaction.executeWithoutResult(status -> claimed.forEach(check -> park(check, e.getMessage())));
            return claimed.size();
        }
        List<Checks.Decided> decided = new ArrayList<>(claimed.size());
        List<Checks.Claimed> failed = new ArrayList<>();
        queries.forEach((check, asked) -> {
            Map<String, Optional<RegistryRecord>> facts = new LinkedHashMap<>();
            asked.forEach(query -> facts.put(query.name(), answers.get(query)));
            try {
                decided.add(pipeline.decide(check, new RegistryFacts(facts)));
            } catch (RuntimeException e) {
                // A check the rules cannot decide (a bug, not an outage) waits like one, without holding up the others.
                log.error("Application {} revision {}: the rules failed; parking the check", check.applicationId(),
                        check.revision(), e);
                failed.add(check);
            }
        });
        transaction.executeWithoutResult(status -> {
            pipeline.record(decided);
            failed.forEach(check -> park(check, "the rules failed"));
        });
        return claimed.size();
    }

    private void park(Checks.Claimed check, String reason) {
        checks.park(check, settings.recheckDelay(check.attempts() + 1), reason);
        meters.counter("eport.checks.parked.total", "agency", rules.agency().id()).increment();
        log.atWarn().addKeyValue("applicationId", check.applicationId()).log("Application {} revision {} parked (attempt {}): {}",
                check.applicationId(), check.revision(), check.attempts() + 1, reason);
    }

    @Override
    public void start() {
        loop.start();
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
        return Integer.MAX_VALUE - 2000;
    }
}
