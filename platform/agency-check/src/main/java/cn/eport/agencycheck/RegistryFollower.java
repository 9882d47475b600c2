package cn.eport.agencycheck;

import cn.eport.contracts.Outcome;
import cn.eport.messaging.LoopingWorker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows the agency's registry after it approved: reads the registry's change feed from where it
 * last stopped, and for every standing approval that rests on a changed record has the rules decide
 * again on the registry's records as they are now. An approval they now reject is withdrawn by a
 * signed {@link cn.eport.contracts.ApprovalWithdrawn} with the rejection's reasons; one they still
 * approve, or refer to a reviewer, stands. A record reinstated later reinstates nothing: the
 * withdrawn approval no longer stands, and only an amended revision, checked again, can be approved.
 * <p>
 * The withdrawals and the feed's new cursor commit together, so a crash before the commit reads the
 * same changes again and one after it does not; a withdrawal is published only by the update that
 * marks its approval withdrawn, so a change read twice (or by two instances) withdraws once. The
 * registry is asked outside any transaction, through the same retries, circuit breaker and bulkhead
 * as the checks' look-ups; while it does not answer, the cursor stays where it is.
 */
final class RegistryFollower extends LoopingWorker {

    private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);

    private final AgencyRules rules;
    private final Registry registry;
    private final Checks checks;
    private final AgencyCheckPipeline pipeline;
    private final TransactionTemplate transaction;
    private final AgencyCheckSettings.RegistryFeed settings;
    private final MeterRegistry meters;
    private volatile boolean answering = true;
    /** When the last expiry sweep ran through to the end; at start, never. */
    private volatile long lastSweep = System.nanoTime() - Long.MAX_VALUE / 2;

    RegistryFollower(AgencyRules rules, Registry registry, Checks checks, AgencyCheckPipeline pipeline,
            TransactionTemplate transaction, AgencyCheckSettings.RegistryFeed settings, MeterRegistry meters) {
        super(rules.agency().id() + "-registry-follower", settings.pageSize(), settings.interval(), WORKER_PHASE);
        this.rules = rules;
        this.registry = registry;
        this.checks = checks;
        this.pipeline = pipeline;
        this.transaction = transaction;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * A certificate that runs out changes nothing in its registry: once an expiry-sweep interval, the standing
     * approvals resting on a record past its last valid day are decided again as for a change. Returns how many
     * it looked at (0 while the registry does not answer, or the sweep is not due).
     */
    int sweepExpired() {
        if (System.nanoTime() - lastSweep < settings.expirySweep().toNanos()) {
            return 0;
        }
        List<Checks.Standing> outOfDate = checks.approvalsOutOfDate(pipeline.today(), settings.pageSize());
        Map<Checks.Standing, List<RegistryQuery>> affected = new LinkedHashMap<>();
        outOfDate.forEach(approval -> affected.put(approval, rules.registryQueries(approval.application())));
        Map<RegistryQuery, Optional<RegistryRecord>> now;
        try {
            now = registry.lookUpAll(affected.values());
        } catch (Registry.RegistryUnavailableException e) {
            log.warn("The {} registry did not answer for {} approvals resting on records past their last day; asking again later: {}",
                    rules.agency().id(), affected.size(), e.getMessage());
            return 0;
        }
        int withdrawn = transaction.execute(status -> decideAgain(affected, now));
        if (!outOfDate.isEmpty()) {
            log.info("Expiry sweep of the {} registry's records: {} standing approvals rested on a record past its last day, {} withdrawn",
                    rules.agency().id(), outOfDate.size(), withdrawn);
        }
        // Done when the page was the last, or withdrew nothing: what the rules still approve would come back first again.
        if (outOfDate.size() < settings.pageSize() || withdrawn == 0) {
            lastSweep = System.nanoTime();
            return 0;
        }
        return outOfDate.size();
    }

    /** One page of the feed: returns how many changes it followed (0 while the registry does not answer). */
    int follow() {
        long cursor = checks.feedCursor();
        Registry.RegistryChanges page;
        Map<Checks.Standing, List<RegistryQuery>> affected;
        Map<RegistryQuery, Optional<RegistryRecord>> now;
        try {
            page = registry.changesSince(cursor, settings.pageSize());
            affected = affectedBy(page.changes());
            now = registry.lookUpAll(affected.values());
        } catch (Registry.RegistryUnavailableException e) {
            if (answering) {
                answering = false;
                log.warn("The {} registry's change feed does not answer; following it from cursor {} when it does: {}",
                        rules.agency().id(), cursor, e.getMessage());
            }
            return 0;
        }
        if (!answering) {
            answering = true;
            log.info("The {} registry's change feed answers again, from cursor {}", rules.agency().id(), cursor);
        }
        if (page.changes().isEmpty() && page.next() == cursor) {
            return 0;
        }
        Integer withdrawn = transaction.execute(status -> {
            int count = decideAgain(affected, now);
            if (!checks.moveFeedCursor(cursor, page.next())) {
                // Another instance followed the same page first: what it recorded stands, this round's goes.
                status.setRollbackOnly();
                return null;
            }
            return count;
        });
        if (withdrawn == null) {
            log.info("Another instance followed the {} registry's changes after cursor {} first", rules.agency().id(), cursor);
            return 0;
        }
        meters.counter("eport.registry.changes.followed", "agency", rules.agency().id()).increment(page.changes().size());
        log.info("Followed {} changes of the {} registry to cursor {}: {} standing approvals decided again, {} withdrawn",
                page.changes().size(), rules.agency().id(), page.next(), affected.size(), withdrawn);
        return page.changes().size();
    }

    /** The standing approvals whose queries asked for a changed record, with those queries. */
    private Map<Checks.Standing, List<RegistryQuery>> affectedBy(List<Registry.Change> changes) {
        Set<String> changed = new HashSet<>();
        changes.forEach(change -> changed.add(change.collection() + "/" + change.record().number()));
        Map<Checks.Standing, List<RegistryQuery>> affected = new LinkedHashMap<>();
        if (changed.isEmpty()) {
            return affected;
        }
        for (Checks.Standing approval : checks.approvalsResting(changes.stream().map(c -> c.record().number()).distinct().toList())) {
            List<RegistryQuery> queries = rules.registryQueries(approval.application());
            if (queries.stream().anyMatch(q -> changed.contains(q.collection() + "/" + q.number()))) {
                affected.put(approval, queries);
            }
        }
        return affected;
    }

    /** Each approval decided again on the records as they are now; returns how many were withdrawn. */
    private int decideAgain(Map<Checks.Standing, List<RegistryQuery>> affected, Map<RegistryQuery, Optional<RegistryRecord>> now) {
        int withdrawn = 0;
        for (Map.Entry<Checks.Standing, List<RegistryQuery>> approval : affected.entrySet()) {
            withdrawn += decideAgain(approval.getKey(), approval.getValue(), now) ? 1 : 0;
        }
        return withdrawn;
    }

    /** The rules again on the records as they are now: a rejection withdraws the approval, anything else leaves it standing. */
    private boolean decideAgain(Checks.Standing approval, List<RegistryQuery> queries, Map<RegistryQuery, Optional<RegistryRecord>> now) {
        RegistryFacts facts = RegistryFacts.of(queries, now);
        Decision decision;
        try {
            decision = pipeline.decisionOn(approval.application(), facts);
        } catch (RuntimeException e) {
            // A bug in the rules, not a change: the approval stands, and the error says which one to look at.
            log.error("ALERT application {} revision {}: the rules failed on the registry's change; the approval stands",
                    approval.applicationId(), approval.revision(), e);
            return false;
        }
        if (decision.outcome() == Outcome.REJECTED) {
            return pipeline.withdraw(approval, decision);
        }
        if (decision.outcome() == Outcome.REFERRED) {
            log.atWarn().addKeyValue("applicationId", approval.applicationId())
                    .log("Application {} revision {}: after a registry change the rules would refer it ({}); the approval stands",
                            approval.applicationId(), approval.revision(), decision.reasons().stream().map(r -> r.code()).toList());
        }
        checks.restApprovalOn(approval.applicationId(), approval.revision(), facts);
        return false;
    }

    @Override
    protected boolean runs() {
        if (!settings.follow()) {
            log.info("Not following the {} registry's changes (eport.agency-check.registry-feed.follow is false)", rules.agency().id());
        }
        return settings.follow();
    }

    @Override
    protected int round() {
        return follow() + sweepExpired();
    }
}
