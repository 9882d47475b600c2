package cn.eport.agencycheck;

import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.ReceivedEvent;
import cn.eport.messaging.VerdictSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
    private final StatutoryClock statutoryClock;
    private final MeterRegistry meters;
    private final TransactionSynchronization wakeWorkerOnCommit;

    AgencyCheckPipeline(AgencyRules rules, Checks checks, Outbox outbox, VerdictSignatures signatures, Clock clock,
            StatutoryClock statutoryClock, MeterRegistry meters, Runnable wakeWorker) {
        this.rules = rules;
        this.checks = checks;
        this.outbox = outbox;
        this.signatures = signatures;
        this.clock = clock;
        this.statutoryClock = statutoryClock;
        this.meters = meters;
        this.wakeWorkerOnCommit = new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wakeWorker.run();
            }
        };
    }

    /**
     * In the consumer's transaction: every revision not seen before becomes a pending check, whose
     * statutory clock starts now, and stops
     * the unfinished checks of older revisions; an amendment that leaves this agency's inputs as they
     * were when it approved carries the approval forward at once; a withdrawal stops every unfinished check.
     */
    void accept(List<ReceivedEvent> events) {
        List<ApplicationRevision> revisions = events.stream().map(ReceivedEvent::event)
                .filter(ApplicationRevision.class::isInstance).map(ApplicationRevision.class::cast).toList();
        Instant acceptedAt = statutoryClock.now();
        List<ApplicationRevision> accepted = revisions.isEmpty() ? List.of()
                : checks.accept(revisions, acceptedAt, statutoryClock.limitWorkingDays(), statutoryClock.deadlinesFrom(acceptedAt));
        meters.counter("eport.checks.started", "agency", rules.agency().id()).increment(accepted.size());
        if (accepted.size() < revisions.size()) {
            log.info("{} of {} application revisions were already known; ignoring them", revisions.size() - accepted.size(),
                    revisions.size());
        }
        int toCheck = 0;
        for (ApplicationRevision revision : accepted) {
            if (revision.revision() > 1) {
                checks.supersedeOlderThan(revision);
                if (carriedForward(revision)) {
                    continue;
                }
            }
            toCheck++;
        }
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationWithdrawn withdrawn) {
                int stopped = checks.withdraw(withdrawn.applicationId());
                log.atInfo().addKeyValue("applicationId", withdrawn.applicationId())
                        .log("Application {} withdrawn; stopped {} unfinished checks", withdrawn.applicationId(), stopped);
            }
        }
        if (toCheck > 0) {
            TransactionSynchronizationManager.registerSynchronization(wakeWorkerOnCommit);
        }
    }

    /**
     * The approval of the previous revision stands for this one if this agency's inputs are unchanged and
     * the agency has not withdrawn it: a withdrawn approval is never carried, the agency checks again.
     */
    private boolean carriedForward(ApplicationRevision revision) {
        Optional<Checks.Case> previous = checks.previousDecided(revision);
        if (previous.isEmpty() || !Outcome.APPROVED.name().equals(previous.get().outcome())
                || previous.get().approvalWithdrawnAt() != null
                || !rules.inputs(previous.get().application()).equals(rules.inputs(revision))) {
            return false;
        }
        VerdictIssued verdict = sign(new VerdictIssued(revision.applicationId(), revision.revision(), rules.agency(),
                Outcome.APPROVED, List.of(), new Decider(Decider.Kind.RULES,
                        rules.ruleSetVersion() + ", carried forward from revision " + previous.get().revision()), now(), ""));
        if (checks.decideNow(verdict, previous.get().facts())) {
            publish(verdict);
        }
        return true;
    }

    /** The rules' decision on a claimed check, as a verdict not yet signed: plain computation, no I/O. */
    Checks.Decided decide(Checks.Claimed check, RegistryFacts facts) {
        ApplicationRevision application = check.application();
        Decision decision = decisionOn(application, facts);
        VerdictIssued verdict = new VerdictIssued(application.applicationId(), application.revision(), rules.agency(),
                decision.outcome(), decision.reasons(), new Decider(Decider.Kind.RULES, rules.ruleSetVersion()), now(), "");
        return new Checks.Decided(check, verdict, facts);
    }

    /** What the rules decide on {@code facts} today in China: plain computation, no I/O. */
    Decision decisionOn(ApplicationRevision application, RegistryFacts facts) {
        return Decision.of(rules.check(application, facts, today()));
    }

    /** The date in China, for validity. */
    LocalDate today() {
        return LocalDate.now(clock.withZone(CHINA));
    }

    /**
     * In the follower's transaction: withdraws a standing approval that the rules, asked again on the
     * registry's records as they are now, reject, with their reasons; publishes the signed withdrawal
     * once, however often the change that led here is delivered. Returns whether it withdrew.
     */
    boolean withdraw(Checks.Standing approval, Decision rejection) {
        ApprovalWithdrawn withdrawn = signatures.sign(new ApprovalWithdrawn(approval.applicationId(), approval.revision(),
                rules.agency(), rejection.reasons(), new Decider(Decider.Kind.RULES, rules.ruleSetVersion()), now(), ""));
        if (!checks.withdrawApproval(approval.applicationId(), approval.revision(), withdrawn.decidedAt())) {
            return false;
        }
        outbox.publish(withdrawn);
        meters.counter("eport.approvals.withdrawn", "agency", rules.agency().id()).increment();
        countReasons(withdrawn.reasons());
        log.atWarn().addKeyValue("applicationId", approval.applicationId()).log("Application {} revision {}: approval withdrawn, {}",
                approval.applicationId(), approval.revision(), withdrawn.reasons().stream().map(r -> r.code()).toList());
        return true;
    }

    /** The round's verdicts signed together: each on its own and, with its inclusion path, by one signature of their Merkle root. */
    List<Checks.Decided> signed(List<Checks.Decided> decided) {
        List<VerdictIssued> verdicts = signatures.signAll(decided.stream().map(Checks.Decided::verdict).toList());
        List<Checks.Decided> signed = new ArrayList<>(decided.size());
        for (int i = 0; i < decided.size(); i++) {
            signed.add(new Checks.Decided(decided.get(i).check(), verdicts.get(i), decided.get(i).facts()));
        }
        return signed;
    }

    /** In the worker's transaction: records the decisions and publishes their verdicts. */
    void record(List<Checks.Decided> decided) {
        List<Checks.Decided> recorded = checks.decide(decided, d -> d.check().parkedSince() == null ? Duration.ZERO
                : statutoryClock.workingTime(d.check().parkedSince(), d.verdict().decidedAt()));
        if (recorded.size() < decided.size()) {
            log.warn("Lost the claim on {} checks before deciding them; another worker will", decided.size() - recorded.size());
        }
        recorded.forEach(d -> publish(d.verdict()));
        log.info("Decided {} checks: {}", recorded.size(), recorded.stream()
                .collect(Collectors.groupingBy(d -> d.verdict().outcome(), TreeMap::new,
                        Collectors.counting())));
    }

    /** Signs and publishes a verdict recorded in the current transaction. */
    void publish(VerdictIssued verdict) {
        outbox.publish(verdict);
        meters.counter("eport.verdicts", "agency", rules.agency().id(), "outcome", verdict.outcome().name()).increment();
        countReasons(verdict.reasons());
        log.atDebug().addKeyValue("applicationId", verdict.applicationId()).log("Application {} revision {}: {} by {} {}",
                verdict.applicationId(), verdict.revision(), verdict.outcome(), verdict.decidedBy().id(),
                verdict.reasons().stream().map(r -> r.code()).toList());
    }

    private void countReasons(List<Reason> reasons) {
        reasons.forEach(reason -> meters.counter("eport.verdicts.reasons", "agency", rules.agency().id(),
                "code", reason.code()).increment());
    }

    VerdictIssued sign(VerdictIssued unsigned) {
        return signatures.sign(unsigned);
    }

    /** Truncated so the signed time survives every store and transport that keeps microseconds or less. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
