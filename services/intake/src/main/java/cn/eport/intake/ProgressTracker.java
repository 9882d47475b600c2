package cn.eport.intake;

import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.KafkaBatch;
import cn.eport.messaging.ReceivedEvent;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the status view current from the agencies' verdicts and the card set. A final verdict is
 * never overwritten: a referral may be followed by a reviewer's decision, but an APPROVED or
 * REJECTED stays what it was (card issuance records and raises any conflicting verdict).
 */
@Configuration(proxyBeanMethods = false)
class ProgressTracker {

    @Bean
    Consumer<Message<List<byte[]>>> recordProgress(EventConsumer consumer, JdbcTemplate jdbc, JsonMapper json) {
        return batch -> consumer.consume(KafkaBatch.records(batch), events -> record(events, jdbc, json));
    }

    private static void record(List<ReceivedEvent> events, JdbcTemplate jdbc, JsonMapper json) {
        List<Object[]> verdicts = new ArrayList<>();
        List<Object[]> cardSets = new ArrayList<>();
        for (ReceivedEvent received : events) {
            if (received.event() instanceof VerdictIssued verdict) {
                verdicts.add(new Object[] {verdict.applicationId(), verdict.revision(), verdict.agency().name(),
                        verdict.outcome().name(), json.writeValueAsString(verdict.reasons()),
                        verdict.decidedBy().kind() + ":" + verdict.decidedBy().id(), Timestamp.from(verdict.decidedAt())});
            } else if (received.event() instanceof CardsIssued cards) {
                cardSets.add(new Object[] {cards.applicationId(), cards.revision(),
                        json.writeValueAsString(Map.of("legalPersonCard", cards.legalPersonCard(), "operatorCards", cards.operatorCards())),
                        Timestamp.from(cards.issuedAt())});
            }
        }
        // One statement per verdict would serialise the batch on round trips; these are JDBC batches.
        if (!verdicts.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO verdicts (application_id, revision, agency, outcome, reasons, decided_by, decided_at)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)
                    ON CONFLICT (application_id, revision, agency) DO UPDATE
                    SET outcome = excluded.outcome, reasons = excluded.reasons,
                        decided_by = excluded.decided_by, decided_at = excluded.decided_at
                    WHERE verdicts.outcome = 'REFERRED'""", verdicts);
        }
        if (!cardSets.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO card_sets (application_id, revision, cards, issued_at) VALUES (?, ?, ?::jsonb, ?)
                    ON CONFLICT (application_id) DO NOTHING""", cardSets);
        }
    }
}
