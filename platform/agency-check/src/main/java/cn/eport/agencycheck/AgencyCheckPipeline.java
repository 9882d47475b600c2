package cn.eport.agencycheck;

import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Decider;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.ReceivedEvent;
import cn.eport.messaging.VerdictSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Accepts each application revision once as a pending check, in the consumer's transaction, and
 * records what the rules decide about it, with the signed verdict, in the worker's. Consuming never
 * waits on the registry: a slow or absent registry delays checks, never the partition.
 */
final class AgencyCheckPipeline {

    private static final Logger log = LoggerFactory.getLogger(AgencyCheckPipeline.class);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final AgencyRules rules;
    private final Checks checks;
    private final Outbox outbox;
    private final VerdictSignatures signatures;
    private final Clock clock;
    private final MeterRegistry meters;
    private final TransactionSynchronization wakeWorkerOnCommit;

    AgencyCheckPipeline(AgencyRules rules, Checks checks, Outbox outbox, VerdictSignatures signatures, Clock clock,
            MeterRegistry meters, Runnable wakeWorker) {
        this.rules = rules;
        this.checks = checks;
        this.outbox = outbox;
        this.signatures = signatures;
        this.clock = clock;
        this.meters = meters;
        this.wakeWorkerOnCommit = new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wakeWorker.run();
            }
        };
    }

    /** In the consumer's transaction: every revision not seen before becomes a pending check. */
    void accept(List<ReceivedEvent> events) {
        List<ApplicationSubmitted> applications = events.stream().map(ReceivedEvent::event)
                .filter(ApplicationSubmitted.class::isInstance).map(ApplicationSubmitted.class::cast).toList();
        int accepted = checks.accept(applications);
        meters.counter("eport.checks.started", "agency", rules.agency().id()).increment(accepted);
        if (accepted < applications.size()) {
            log.info("{} of {} application revisions were already known; ignoring them", applications.size() - accepted,
                    applications.size());
        }
        if (accepted > 0) {
            TransactionSynchronizationManager.registerSynchronization(wakeWorkerOnCommit);
        }
    }

    /** The rules' decision on a claimed check, as a signed verdict: plain computation, no I/O. */
    Checks.Decided decide(Checks.Claimed check, RegistryFacts facts) {
        ApplicationSubmitted application = check.application();
        Decision decision = Decision.of(rules.check(application, facts, LocalDate.now(clock.withZone(CHINA))));
        VerdictIssued verdict = sign(new VerdictIssued(application.applicationId(), application.revision(), rules.agency(),
                decision.outcome(), decision.reasons(), new Decider(Decider.Kind.RULES, rules.ruleSetVersion()), now(), ""));
        return new Checks.Decided(check, verdict, facts);
    }

    /** In the worker's transaction: records the decisions and publishes their verdicts. */
    void record(List<Checks.Decided> decided) {
        List<Checks.Decided> recorded = checks.decide(decided);
        if (recorded.size() < decided.size()) {
            log.warn("Lost the claim on {} checks before deciding them; another worker will", decided.size() - recorded.size());
        }
        recorded.forEach(d -> publish(d.verdict()));
        log.info("Decided {} checks: {}", recorded.size(), recorded.stream()
                .collect(java.util.stream.Collectors.groupingBy(d -> d.verdict().outcome(), java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())));
    }

    /** Signs and publishes a verdict recorded in the current transaction. */
    void publish(VerdictIssued verdict) {
        outbox.publish(verdict);
        meters.counter("eport.verdicts", "agency", rules.agency().id(), "outcome", verdict.outcome().name()).increment();
        verdict.reasons().forEach(reason -> meters.counter("eport.verdicts.reasons", "agency", rules.agency().id(),
                "code", reason.code()).increment());
        log.debug("Application {} revision {}: {} by {} {}", verdict.applicationId(), verdict.revision(), verdict.outcome(),
                verdict.decidedBy().id(), verdict.reasons().stream().map(r -> r.code()).toList());
    }

    VerdictIssued sign(VerdictIssued unsigned) {
        return signatures.sign(unsigned);
    }

    /** Truncated so the signed time survives every store and transport that keeps microseconds or less. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
