package cn.eport.intake;

import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.CardEvent;
import cn.eport.contracts.CardSetCancelled;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.CardsReinstated;
import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Reason;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.ReceivedEvent;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the status view and the timeline current from the agencies' verdicts, telecom's
 * registration and the card set. A final verdict is never overwritten: a referral may be followed
 * by a reviewer's decision, but an APPROVED or REJECTED stays what it was (card issuance records and
 * raises any conflicting verdict). Verdicts for older revisions are kept and shown in the timeline;
 * the status counts only the current revision's.
 */
@Configuration(proxyBeanMethods = false)
class ProgressTracker {

    @Bean
    Consumer<Message<List<byte[]>>> recordProgress(EventConsumer consumer, JdbcTemplate jdbc, Timeline timeline, DecisionMails mails,
            JsonMapper json) {
        return consumer.binding("recordProgress", events -> {
            record(events, jdbc, timeline, json);
            mails.noticeOf(events);
        });
    }

    private static void record(List<ReceivedEvent> events, JdbcTemplate jdbc, Timeline timeline, JsonMapper json) {
        // One row per application, revision and agency: a batch may hold a verdict twice, or a referral and the
        // reviewer's decision together, and a multi-row upsert may not touch a row twice. A final verdict wins.
        Map<String, Object[]> verdicts = new LinkedHashMap<>();
        List<Object[]> registrations = new ArrayList<>();
        List<Object[]> cardSets = new ArrayList<>();
        List<CardEvent> cardChanges = new ArrayList<>();
        List<Map.Entry<UUID, Timeline.Entry>> entries = new ArrayList<>();
        for (ReceivedEvent received : events) {
            if (received.event() instanceof VerdictIssued verdict) {
                String decidedBy = verdict.decidedBy().kind() + ":" + verdict.decidedBy().id();
                Object[] row = {verdict.applicationId(), verdict.revision(), verdict.agency().name(),
                        verdict.outcome().name(), json.writeValueAsString(verdict.reasons()), decidedBy,
                        Timestamp.from(verdict.decidedAt())};
                verdicts.merge(verdict.applicationId() + "/" + verdict.revision() + "/" + verdict.agency(), row,
                        (kept, later) -> "REFERRED".equals(kept[3]) ? later : kept);
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("agency", verdict.agency());
                detail.put("outcome", verdict.outcome());
                detail.put("reasons", verdict.reasons().stream().map(Reason::code).toList());
                entries.add(Map.entry(verdict.applicationId(),
                        new Timeline.Entry(verdict.decidedAt(), "VERDICT", verdict.revision(), decidedBy, detail)));
            } else if (received.event() instanceof TelecomRegistered registered) {
                registrations.add(new Object[] {registered.applicationId(), registered.networkCardNumber(),
                        Timestamp.from(registered.registeredAt()), registered.registeredBy()});
                entries.add(Map.entry(registered.applicationId(), new Timeline.Entry(registered.registeredAt(),
                        "TELECOM_REGISTERED", null, registered.registeredBy(), Map.of("networkCardNumber", registered.networkCardNumber()))));
            } else if (received.event() instanceof ApprovalWithdrawn withdrawal) {
                entries.add(Map.entry(withdrawal.applicationId(), new Timeline.Entry(withdrawal.decidedAt(), "APPROVAL_WITHDRAWN",
                        withdrawal.revision(), "agency:" + withdrawal.agency().id(), Map.of("agency", withdrawal.agency(),
                        "reasons", withdrawal.reasons().stream().map(Reason::code).toList()))));
            } else if (received.event() instanceof CardEvent change) {
                cardChanges.add(change);
                entries.add(Map.entry(change.applicationId(), new Timeline.Entry(change.at(), EventType.of(change).name(), null,
                        change.by(), detailOf(change))));
            } else if (received.event() instanceof CardsIssued cards) {
                cardSets.add(new Object[] {cards.applicationId(), cards.revision(),
                        json.writeValueAsString(Map.of("legalPersonCard", cards.legalPersonCard(), "operatorCards", cards.operatorCards())),
                        Timestamp.from(cards.issuedAt())});
                entries.add(Map.entry(cards.applicationId(), new Timeline.Entry(cards.issuedAt(), "CARDS_ISSUED", cards.revision(),
                        "customs", Map.of("cards", 1 + cards.operatorCards().size(), "slipNumber", cards.slipNumber()))));
            }
        }
        // JDBC batches: one statement per event would serialise a batch of hundreds on round trips.
        if (!verdicts.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO verdicts (application_id, revision, agency, outcome, reasons, decided_by, decided_at)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)
                    ON CONFLICT (application_id, revision, agency) DO UPDATE
                    SET outcome = excluded.outcome, reasons = excluded.reasons,
                        decided_by = excluded.decided_by, decided_at = excluded.decided_at
                    WHERE verdicts.outcome = 'REFERRED'""", List.copyOf(verdicts.values()));
        }
        if (!registrations.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO telecom_registrations (application_id, network_card_number, registered_at, registered_by)
                    VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING""", registrations);
        }
        if (!cardSets.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO card_sets (application_id, revision, cards, issued_at) VALUES (?, ?, ?::jsonb, ?)
                    ON CONFLICT (application_id) DO NOTHING""", cardSets);
        }
        // In order: a suspension and the reinstatement after it may come in one batch.
        for (CardEvent change : cardChanges) {
            if (change instanceof CardsSuspended suspended && suspended.agency() != null) {
                jdbc.update("UPDATE card_sets SET state = 'SUSPENDED', suspended_by = ?, suspension_reason = ?::jsonb WHERE application_id = ?",
                        suspended.agency().name(), json.writeValueAsString(suspended.reason()), suspended.applicationId());
            } else if (change instanceof CardsReinstated reinstated) {
                jdbc.update("UPDATE card_sets SET state = 'ACTIVE', suspended_by = NULL, suspension_reason = NULL WHERE application_id = ?",
                        reinstated.applicationId());
            } else if (change instanceof CardSetCancelled cancelled) {
                jdbc.update("UPDATE card_sets SET state = 'CANCELLED' WHERE application_id = ?", cancelled.applicationId());
            }
        }
        timeline.appendAll(entries);
    }

    /** What the timeline keeps of a card change: for a suspension the agency and reason, otherwise how many cards. */
    private static Map<String, Object> detailOf(CardEvent change) {
        if (change instanceof CardsSuspended suspended) {
            Map<String, Object> detail = new LinkedHashMap<>();
            if (suspended.agency() != null) {
                detail.put("agency", suspended.agency());
            }
            detail.put("reasons", List.of(suspended.reason().code()));
            detail.put("cards", suspended.cardNumbers().size());
            return detail;
        }
        if (change instanceof CardsReinstated reinstated) {
            return Map.of("cards", reinstated.cardNumbers().size());
        }
        if (change instanceof CardSetCancelled cancelled) {
            return Map.of("cards", cancelled.cardNumbers().size());
        }
        return Map.of("cards", 1);
    }
}
