package cn.eport.dashboard;

import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.contracts.ApplicationAmended;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.CardEvent;
import cn.eport.contracts.CardSetCancelled;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.CardsReinstated;
import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.CheckEscalated;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.ReceivedEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Folds consumed events into the read model. Called inside the transaction of
 * {@link cn.eport.messaging.EventConsumer}, with only events whose ids the inbox had not seen.
 *
 * <p>The counts are of agencies per application revision, never of events: the same verdict
 * published again under a new id leaves them as they were. A referral gives way to the reviewer's
 * final verdict; a final verdict stays (card issuance raises conflicts, the dashboard just shows the
 * standing one); a revision that arrives after a newer one does not turn the application back.
 * Every event, whatever its type, becomes a line of its application's timeline.
 *
 * <p>The snapshot's counts change in the same transaction: {@link RunningCounts} recounts the
 * applications the batch touches, around its writes, and {@link ActivityCounts} adds what the batch
 * tells first to the minutes of the last hour's chart.
 */
@Component
class Projection {

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RunningCounts counts;
    private final ActivityCounts activity;

    Projection(JdbcTemplate jdbc, JsonMapper json, RunningCounts counts, ActivityCounts activity) {
        this.jdbc = jdbc;
        this.json = json;
        this.counts = counts;
        this.activity = activity;
    }

    /** A revision of an application as the agencies check it: the first submission or an amendment. */
    private record Revision(UUID applicationId, int revision, String slipNumber, String enterprise, Instant at) {
    }

    private record Standing(UUID applicationId, int revision, String agency, Outcome outcome, @Nullable Instant referredAt,
            Instant decidedAt) {

        /** This verdict followed by {@code later}: the rule of the table, applied within one batch. */
        Standing then(VerdictIssued later) {
            if (outcome.isFinal()) {
                return this;
            }
            return new Standing(applicationId, revision, agency, later.outcome(),
                    referredAt != null ? referredAt : referralTime(later), later.decidedAt());
        }

        static Standing of(VerdictIssued verdict) {
            return new Standing(verdict.applicationId(), verdict.revision(), verdict.agency().name(), verdict.outcome(),
                    referralTime(verdict), verdict.decidedAt());
        }

        private static @Nullable Instant referralTime(VerdictIssued verdict) {
            return verdict.outcome() == Outcome.REFERRED ? verdict.decidedAt() : null;
        }
    }

    void apply(List<ReceivedEvent> events) {
        // Folded per key first: a multi-row upsert may not touch one row twice, and the batch's own
        // order (one application's events stay in order on its partition) decides within it.
        Map<UUID, Revision> newestRevisions = new LinkedHashMap<>();
        Map<String, Standing> verdicts = new LinkedHashMap<>();
        Map<UUID, ApplicationWithdrawn> withdrawals = new LinkedHashMap<>();
        Map<UUID, TelecomRegistered> registrations = new LinkedHashMap<>();
        Map<UUID, CardsIssued> cardSets = new LinkedHashMap<>();
        List<CheckEscalated> escalations = new ArrayList<>();
        List<CardEvent> cardChanges = new ArrayList<>();
        List<Object[]> lines = new ArrayList<>(events.size());
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationSubmitted submitted) {
                revise(newestRevisions, new Revision(submitted.applicationId(), submitted.revision(), submitted.slipNumber(),
                        submitted.enterprise().name(), submitted.submittedAt()));
                lines.add(line(received, "SUBMITTED", submitted.revision(), null, null, List.of(), submitted.submittedBy(),
                        submitted.submittedAt()));
            } else if (received.event() instanceof ApplicationAmended amended) {
                revise(newestRevisions, new Revision(amended.applicationId(), amended.revision(), amended.slipNumber(),
                        amended.enterprise().name(), amended.amendedAt()));
                lines.add(line(received, "AMENDED", amended.revision(), null, null, List.of(), amended.amendedBy(),
                        amended.amendedAt()));
            } else if (received.event() instanceof ApplicationWithdrawn withdrawn) {
                withdrawals.putIfAbsent(withdrawn.applicationId(), withdrawn);
                lines.add(line(received, "WITHDRAWN", withdrawn.revision(), null, null, List.of(), withdrawn.withdrawnBy(),
                        withdrawn.withdrawnAt()));
            } else if (received.event() instanceof VerdictIssued verdict) {
                verdicts.merge(verdict.applicationId() + "/" + verdict.revision() + "/" + verdict.agency(), Standing.of(verdict),
                        (held, next) -> held.then(verdict));
                lines.add(line(received, "VERDICT", verdict.revision(), verdict.agency().name(), verdict.outcome().name(),
                        verdict.reasons(), verdict.decidedBy().kind() + ":" + verdict.decidedBy().id(), verdict.decidedAt()));
            } else if (received.event() instanceof TelecomRegistered registered) {
                registrations.putIfAbsent(registered.applicationId(), registered);
                lines.add(line(received, "TELECOM_REGISTERED", null, null, null, List.of(), registered.registeredBy(),
                        registered.registeredAt()));
            } else if (received.event() instanceof CardsIssued cards) {
                cardSets.putIfAbsent(cards.applicationId(), cards);
                lines.add(line(received, "CARDS_ISSUED", cards.revision(), null, null, List.of(), serviceOf(received),
                        cards.issuedAt()));
            } else if (received.event() instanceof CardsSuspended suspended) {
                cardChanges.add(suspended);
                lines.add(line(received, received.type().name(), null, suspended.agency() == null ? null : suspended.agency().name(),
                        null, List.of(suspended.reason()), suspended.by(), suspended.at()));
            } else if (received.event() instanceof CardEvent change) {
                cardChanges.add(change);
                lines.add(line(received, received.type().name(), null, null, null, List.of(), change.by(), change.at()));
            } else if (received.event() instanceof CheckEscalated escalated) {
                escalations.add(escalated);
                lines.add(line(received, "DEADLINE_" + escalated.level(), escalated.revision(), escalated.agency().name(), null,
                        List.of(), serviceOf(received), escalated.raisedAt()));
            } else {
                // An event type this dashboard has no view of yet still shows on the timeline.
                lines.add(line(received, received.type().name(), null, null, null, List.of(), serviceOf(received),
                        received.time()));
            }
        }
        Set<UUID> counted = new LinkedHashSet<>(newestRevisions.keySet());
        verdicts.values().forEach(v -> counted.add(v.applicationId()));
        counted.addAll(withdrawals.keySet());
        counted.addAll(registrations.keySet());
        counted.addAll(cardSets.keySet());
        RunningCounts.Recount recount = counts.recount(counted);
        // Under those locks and before this batch's lines exist: what the timeline told of them already.
        ActivityCounts.Count perMinute = activity.count(events);
        if (!newestRevisions.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO applications (application_id, revision, slip_number, enterprise_name, submitted_at)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (application_id) DO UPDATE
                    SET revision = excluded.revision, slip_number = excluded.slip_number,
                        enterprise_name = excluded.enterprise_name, submitted_at = excluded.submitted_at
                    WHERE applications.revision < excluded.revision""",
                    newestRevisions.values().stream().map(r -> new Object[] {r.applicationId(), r.revision(), r.slipNumber(),
                            ResidentIdNumber.maskedWithin(r.enterprise()), Timestamp.from(r.at())}).toList());
        }
        if (!verdicts.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO agency_verdicts (application_id, revision, agency, outcome, referred_at, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (application_id, revision, agency) DO UPDATE
                    SET outcome = excluded.outcome, decided_at = excluded.decided_at,
                        referred_at = coalesce(agency_verdicts.referred_at, excluded.referred_at)
                    WHERE agency_verdicts.outcome = 'REFERRED'""",
                    verdicts.values().stream().map(v -> new Object[] {v.applicationId(), v.revision(), v.agency(),
                            v.outcome().name(), v.referredAt() == null ? null : Timestamp.from(v.referredAt()),
                            Timestamp.from(v.decidedAt())}).toList());
        }
        if (!withdrawals.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO withdrawals (application_id, revision, withdrawn_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    withdrawals.values().stream().map(w -> new Object[] {w.applicationId(), w.revision(), Timestamp.from(w.withdrawnAt())})
                            .toList());
        }
        if (!registrations.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO telecom_registrations (application_id, registered_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    registrations.values().stream().map(t -> new Object[] {t.applicationId(), Timestamp.from(t.registeredAt())}).toList());
        }
        if (!cardSets.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO card_sets (application_id, revision, issued_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    cardSets.values().stream().map(c -> new Object[] {c.applicationId(), c.revision(), Timestamp.from(c.issuedAt())})
                            .toList());
        }
        cardSetChanges(cardChanges);
        if (!escalations.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO escalations (application_id, revision, agency, level, accepted_at, deadline, time_limit_days,
                                             waiting_for, raised_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                    escalations.stream().map(e -> new Object[] {e.applicationId(), e.revision(), e.agency().name(), e.level().name(),
                            Timestamp.from(e.acceptedAt()), Timestamp.from(e.deadline()), e.timeLimitWorkingDays(),
                            e.waitingFor().name(), Timestamp.from(e.raisedAt())}).toList());
        }
        jdbc.batchUpdate("""
                INSERT INTO timeline (event_id, application_id, kind, revision, agency, outcome, reasons, actor, occurred_at, published_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""", lines);
        // Last: every transaction changes the same few rows of counts, so each holds them as briefly as it can;
        // always the minutes first, then the running counts, so no two wait for each other in a circle.
        perMinute.finish();
        recount.finish();
    }

    /**
     * After the batch's new card sets: each change in the batch's order (one application's stay in order on
     * its partition), so a suspension and the reinstatement after it in one batch leave the set active. A
     * cancelled set stays cancelled; a suspension is counted once by its reason.
     */
    private void cardSetChanges(List<CardEvent> changes) {
        List<Object[]> suspensions = new ArrayList<>();
        for (CardEvent change : changes) {
            if (change instanceof CardsSuspended suspended) {
                suspensions.add(new Object[] {suspended.applicationId(), suspended.reason().code(),
                        suspended.agency() == null ? null : suspended.agency().name(), suspended.cardNumbers().size(),
                        Timestamp.from(suspended.at())});
                if (suspended.agency() != null) {
                    setState(suspended.applicationId(), "SUSPENDED");
                }
            } else if (change instanceof CardsReinstated reinstated) {
                setState(reinstated.applicationId(), "ACTIVE");
            } else if (change instanceof CardSetCancelled cancelled) {
                setState(cancelled.applicationId(), "CANCELLED");
            }
        }
        if (!suspensions.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO card_suspensions (application_id, reason_code, agency, cards, suspended_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", suspensions);
        }
    }

    private void setState(UUID applicationId, String state) {
        jdbc.update("UPDATE card_sets SET state = ? WHERE application_id = ? AND state <> 'CANCELLED'", state, applicationId);
    }

    private static void revise(Map<UUID, Revision> newest, Revision revision) {
        newest.merge(revision.applicationId(), revision, (held, next) -> next.revision() > held.revision() ? next : held);
    }

    private Object[] line(ReceivedEvent received, String kind, @Nullable Integer revision, @Nullable String agency,
            @Nullable String outcome, List<Reason> reasons, String actor, Instant occurredAt) {
        List<Reason> masked = reasons.stream()
                .map(r -> new Reason(r.code(), ResidentIdNumber.maskedWithin(r.zh()), ResidentIdNumber.maskedWithin(r.en())))
                .toList();
        return new Object[] {received.eventId(), received.event().applicationId(), kind, revision, agency, outcome,
                json.writeValueAsString(masked), ResidentIdNumber.maskedWithin(actor), Timestamp.from(occurredAt),
                Timestamp.from(received.time())};
    }

    /** The publishing service, from the CloudEvents source {@code /eport/card-issuance}. */
    private static String serviceOf(ReceivedEvent received) {
        String source = received.source();
        return source.startsWith("/eport/") ? source.substring("/eport/".length()) : source;
    }
}
