package cn.eport.agencycheck;

import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Decider;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.ReceivedEvent;
import cn.eport.messaging.VerdictSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks each application revision once: runs the agency's rules, records the check and publishes
 * the signed verdict, in the consumer's transaction. A revision already checked (the same event
 * redelivered under a new id, say) changes nothing: the checks table's key sees to it.
 */
final class AgencyCheckPipeline {

    private static final Logger log = LoggerFactory.getLogger(AgencyCheckPipeline.class);

    private final AgencyRules rules;
    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final VerdictSignatures signatures;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    AgencyCheckPipeline(AgencyRules rules, JdbcClient jdbc, Outbox outbox, VerdictSignatures signatures, JsonMapper json,
            Clock clock, MeterRegistry meters) {
        this.rules = rules;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.signatures = signatures;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    void checkAll(List<ReceivedEvent> events) {
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationSubmitted application) {
                check(application);
            }
        }
    }

    private void check(ApplicationSubmitted application) {
        meters.counter("eport.checks.started", "agency", rules.agency().id()).increment();
        Decision decision = Decision.of(rules.check(application));
        // Truncated so the signed text survives every store and transport that keeps microseconds or less.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        VerdictIssued verdict = signatures.sign(new VerdictIssued(application.applicationId(), application.revision(),
                rules.agency(), decision.outcome(), decision.reasons(),
                new Decider(Decider.Kind.RULES, rules.ruleSetVersion()), now, ""));
        int recorded = jdbc.sql("""
                        INSERT INTO checks (application_id, revision, outcome, reasons, decided_by, decided_at)
                        VALUES (?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT DO NOTHING""")
                .params(application.applicationId(), application.revision(), decision.outcome().name(),
                        json.writeValueAsString(decision.reasons()), rules.ruleSetVersion(), Timestamp.from(now))
                .update();
        if (recorded == 0) {
            log.info("Application {} revision {} was already checked; ignoring it", application.applicationId(),
                    application.revision());
            return;
        }
        outbox.publish(verdict);
        meters.counter("eport.verdicts", "agency", rules.agency().id(), "outcome", decision.outcome().name()).increment();
        log.info("Application {} revision {}: {} {}", application.applicationId(), application.revision(),
                decision.outcome(), decision.reasons().stream().map(r -> r.code()).toList());
    }
}
