package cn.eport.cardissuance;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.ReceivedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records the facts card issuance depends on (each agency's verdict per application revision,
 * the current revision and its holders, telecom's registration, a withdrawal) and issues the card
 * set when {@link CardRule} says so. Runs inside the consumer's transaction, so the facts, the card
 * set and the CardsIssued event commit together with the inbox rows of the batch.
 *
 * <p>What it counts is agencies, never events: the verdicts table holds one row per agency per
 * revision, so copies of a verdict count once, and a verdict for another revision never counts
 * for the current one, whichever order they arrive in. The decision is taken under a per-application
 * advisory lock, so two last conditions arriving at once on two consumer threads still issue the
 * cards once, and at all.
 */
@Component
class CardIssuance {

    private static final Logger log = LoggerFactory.getLogger(CardIssuance.class);
    /** The class of the advisory locks that serialise the card decision per application (the key is the application). */
    private static final int DECISION_LOCKS = "card-issuance.decision".hashCode();
    private static final TypeReference<List<CardHolder>> HOLDERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final CardNumbers cardNumbers;
    private final CardLifecycle lifecycle;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    CardIssuance(JdbcClient jdbc, Outbox outbox, CardNumbers cardNumbers, CardLifecycle lifecycle, JsonMapper json,
            Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.cardNumbers = cardNumbers;
        this.lifecycle = lifecycle;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    void handle(List<ReceivedEvent> events) {
        Map<UUID, ApplicationRevision> newest = new LinkedHashMap<>();
        List<ReceivedEvent> verdicts = new ArrayList<>();
        List<ApprovalWithdrawn> withdrawals = new ArrayList<>();
        Map<UUID, String> owners = new LinkedHashMap<>();
        Set<UUID> touched = new LinkedHashSet<>();
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationRevision application) {
                newest.merge(application.applicationId(), application, (a, b) -> a.revision() >= b.revision() ? a : b);
                if (application instanceof ApplicationSubmitted submitted && submitted.owner() != null) {
                    owners.put(submitted.applicationId(), submitted.owner());
                }
            } else if (received.event() instanceof VerdictIssued) {
                verdicts.add(received);
            } else if (received.event() instanceof ApprovalWithdrawn withdrawal) {
                withdrawals.add(withdrawal);
            }
            touched.add(received.event().applicationId());
        }
        remember(newest.values());
        rememberOwners(owners);
        record(verdicts);
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationWithdrawn withdrawn) {
                withdraw(withdrawn);
            } else if (received.event() instanceof TelecomRegistered registered) {
                jdbc.sql("""
                                INSERT INTO telecom_registrations (application_id, network_card_number, registered_at)
                                VALUES (?, ?, ?) ON CONFLICT DO NOTHING""")
                        .params(registered.applicationId(), registered.networkCardNumber(), Timestamp.from(registered.registeredAt()))
                        .update();
            }
        }
        lockDecisions(touched);
        // After the decision locks, never before: a withdrawal takes the card set's row lock, which the decision
        // below also takes (approved again) under its advisory lock.
        withdrawals.forEach(lifecycle::withdrawn);
        List<Ready> ready = readyForCards(touched);
        ready.forEach(r -> {
            if (r.decision() == CardRule.Decision.ISSUE) {
                issue(r.current());
            } else {
                lifecycle.approvedAgain(r.current().applicationId(), r.current().revision(), r.current().operators());
            }
        });
        if (!ready.isEmpty()) {
            log.info("All six agencies approved {} applications; issued or updated their card sets", ready.size());
        }
    }

    /** The enterprise account behind each online submission: the one enterprise that may act on its card set. */
    private void rememberOwners(Map<UUID, String> owners) {
        if (owners.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE applications a SET owner = o.owner
                        FROM unnest(?::uuid[], ?::text[]) AS o (application_id, owner)
                        WHERE a.application_id = o.application_id AND a.owner IS NULL""")
                .params(owners.keySet().stream().map(UUID::toString).toArray(String[]::new), owners.values().toArray(String[]::new))
                .update();
    }

    /** Withdrawn means no cards: the row is kept and marked, so nothing arriving later issues them. A withdrawal for an application never seen here is only logged. */
    private void withdraw(ApplicationWithdrawn withdrawn) {
        int marked = jdbc.sql("UPDATE applications SET withdrawn_at = ? WHERE application_id = ?")
                .params(Timestamp.from(withdrawn.withdrawnAt()), withdrawn.applicationId()).update();
        if (marked == 0) {
            log.warn("Application {} withdrawn before card issuance saw it submitted", withdrawn.applicationId());
        }
    }

    /** Keeps the newest revision only: an older one arriving late changes nothing. */
    private void remember(Collection<ApplicationRevision> applications) {
        if (applications.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO applications (application_id, revision, slip_number, legal_representative, operators)
                        SELECT * FROM unnest(?::uuid[], ?::integer[], ?::text[], ?::jsonb[], ?::jsonb[])
                        ON CONFLICT (application_id) DO UPDATE
                        SET revision = excluded.revision, slip_number = excluded.slip_number,
                            legal_representative = excluded.legal_representative, operators = excluded.operators
                        WHERE applications.revision < excluded.revision""")
                .params(applications.stream().map(a -> a.applicationId().toString()).toArray(String[]::new),
                        applications.stream().map(ApplicationRevision::revision).toArray(Integer[]::new),
                        applications.stream().map(ApplicationRevision::slipNumber).toArray(String[]::new),
                        applications.stream().map(a -> json.writeValueAsString(a.legalRepresentative())).toArray(String[]::new),
                        applications.stream().map(a -> json.writeValueAsString(a.operators())).toArray(String[]::new))
                .update();
    }

    /** One row per agency per revision, in one batch; a verdict that finds its row taken is settled on its own. */
    private void record(List<ReceivedEvent> received) {
        if (received.isEmpty()) {
            return;
        }
        // The first verdict of each (application, revision, agency) in the batch is inserted in one
        // statement whose RETURNING says which rows are new; the others (copies, a reviewer's decision
        // in the same batch as the referral, a conflict) are settled one by one, in arrival order.
        // Batch update counts cannot say it: with reWriteBatchedInserts every one is SUCCESS_NO_INFO.
        Map<String, ReceivedEvent> firsts = new LinkedHashMap<>();
        List<ReceivedEvent> later = new ArrayList<>();
        for (ReceivedEvent r : received) {
            if (firsts.putIfAbsent(keyOf((VerdictIssued) r.event()), r) != null) {
                later.add(r);
            }
        }
        List<VerdictIssued> rows = firsts.values().stream().map(r -> (VerdictIssued) r.event()).toList();
        Set<String> inserted = new HashSet<>(jdbc.sql("""
                        INSERT INTO verdicts (application_id, revision, agency, outcome, decided_by, decided_at)
                        SELECT * FROM unnest(?::uuid[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                        ON CONFLICT DO NOTHING
                        RETURNING application_id::text || '/' || revision || '/' || agency""")
                .params(rows.stream().map(v -> v.applicationId().toString()).toArray(String[]::new),
                        rows.stream().map(VerdictIssued::revision).toArray(Integer[]::new),
                        rows.stream().map(v -> v.agency().name()).toArray(String[]::new),
                        rows.stream().map(v -> v.outcome().name()).toArray(String[]::new),
                        rows.stream().map(v -> v.decidedBy().kind() + ":" + v.decidedBy().id()).toArray(String[]::new),
                        rows.stream().map(v -> Timestamp.from(v.decidedAt())).toArray(Timestamp[]::new))
                .query(String.class).list());
        firsts.forEach((key, r) -> {
            if (!inserted.contains(key)) {
                settle((VerdictIssued) r.event(), r.eventId());
            }
        });
        later.forEach(r -> settle((VerdictIssued) r.event(), r.eventId()));
    }

    private static String keyOf(VerdictIssued verdict) {
        return verdict.applicationId() + "/" + verdict.revision() + "/" + verdict.agency().name();
    }

    /** A verdict for a revision this agency has already decided: a copy, a reviewer's decision, or a conflict. */
    private void settle(VerdictIssued verdict, String eventId) {
        Outcome standing = Outcome.valueOf(jdbc.sql("SELECT outcome FROM verdicts WHERE application_id = ? AND revision = ? AND agency = ?")
                .params(verdict.applicationId(), verdict.revision(), verdict.agency().name()).query(String.class).single());
        if (standing == verdict.outcome()) {
            return;
        }
        if (!standing.isFinal()) {
            jdbc.sql("""
                            UPDATE verdicts SET outcome = ?, decided_by = ?, decided_at = ?
                            WHERE application_id = ? AND revision = ? AND agency = ? AND outcome = 'REFERRED'""")
                    .params(verdict.outcome().name(), verdict.decidedBy().kind() + ":" + verdict.decidedBy().id(),
                            Timestamp.from(verdict.decidedAt()), verdict.applicationId(), verdict.revision(), verdict.agency().name())
                    .update();
            return;
        }
        jdbc.sql("""
                        INSERT INTO verdict_conflicts (application_id, revision, agency, standing_outcome, conflicting_outcome, conflicting_event)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(verdict.applicationId(), verdict.revision(), verdict.agency().name(), standing.name(),
                        verdict.outcome().name(), eventId)
                .update();
        meters.counter("eport.verdicts.conflicts", "agency", verdict.agency().id()).increment();
        log.atError().addKeyValue("applicationId", verdict.applicationId()).log(
                "Conflicting verdict for application {} revision {}: {} already decided {}, event {} says {}; keeping {}",
                verdict.applicationId(), verdict.revision(), verdict.agency(), standing, eventId, verdict.outcome(), standing);
    }

    /**
     * Serialises the decision per application: two transactions that each record one last condition (the sixth
     * approval on one consumer thread, telecom's registration on another) would otherwise each miss the other's
     * uncommitted row, and neither would issue the cards. The second waits here until the first commits; under READ
     * COMMITTED its next statement then sees the first's rows. Taken after the batch's facts are written, so that no
     * transaction waits for a row while it holds one of these; in the order of the keys, so that two batches touching
     * the same applications cannot deadlock. Released at commit or rollback.
     */
    private void lockDecisions(Set<UUID> applications) {
        jdbc.sql("""
                        SELECT pg_advisory_xact_lock(?, key)
                        FROM (SELECT DISTINCT hashtext(id::text) AS key FROM unnest(?::uuid[]) AS id) AS keys
                        ORDER BY key""")
                .params(DECISION_LOCKS, applications.stream().map(UUID::toString).toArray(String[]::new))
                .query((rs, n) -> n)
                .list();
    }

    /** Of the applications given, those that {@link CardRule} says get their cards now, or are approved again. */
    private List<Ready> readyForCards(Set<UUID> applications) {
        String[] ids = applications.stream().map(UUID::toString).toArray(String[]::new);
        Map<UUID, List<CardRule.Verdict>> verdicts = new HashMap<>();
        jdbc.sql("SELECT application_id, revision, agency, outcome FROM verdicts WHERE application_id = ANY(?::uuid[])")
                .param(ids)
                .query((rs, n) -> Map.entry(rs.getObject("application_id", UUID.class), new CardRule.Verdict(rs.getInt("revision"),
                        Agency.valueOf(rs.getString("agency")), Outcome.valueOf(rs.getString("outcome")))))
                .list()
                .forEach(v -> verdicts.computeIfAbsent(v.getKey(), id -> new ArrayList<>()).add(v.getValue()));
        Map<UUID, List<CardRule.Withdrawal>> withdrawals = new HashMap<>();
        jdbc.sql("SELECT application_id, revision, agency FROM withdrawals WHERE application_id = ANY(?::uuid[])")
                .param(ids)
                .query((rs, n) -> Map.entry(rs.getObject("application_id", UUID.class),
                        new CardRule.Withdrawal(rs.getInt("revision"), Agency.valueOf(rs.getString("agency")))))
                .list()
                .forEach(w -> withdrawals.computeIfAbsent(w.getKey(), id -> new ArrayList<>()).add(w.getValue()));
        List<Ready> ready = new ArrayList<>();
        jdbc.sql("""
                        SELECT a.application_id, a.revision, a.slip_number, a.legal_representative::text AS legal_representative,
                               a.operators::text AS operators, a.withdrawn_at IS NOT NULL AS withdrawn,
                               EXISTS (SELECT 1 FROM telecom_registrations t WHERE t.application_id = a.application_id) AS registered,
                               (SELECT c.rests_on FROM card_sets c WHERE c.application_id = a.application_id) AS rests_on
                        FROM applications a WHERE a.application_id = ANY(?::uuid[])""")
                .param(ids)
                .query(rs -> {
                    UUID id = rs.getObject("application_id", UUID.class);
                    int restsOn = rs.getInt("rests_on");
                    boolean issued = !rs.wasNull();
                    CardRule.Facts facts = new CardRule.Facts(rs.getInt("revision"), rs.getBoolean("withdrawn"),
                            rs.getBoolean("registered"), issued, restsOn, verdicts.getOrDefault(id, List.of()),
                            withdrawals.getOrDefault(id, List.of()));
                    CardRule.Decision decision = CardRule.decide(facts);
                    if (decision == CardRule.Decision.ISSUE || decision == CardRule.Decision.APPROVED_AGAIN) {
                        ready.add(new Ready(decision, new Current(id, facts.currentRevision(), rs.getString("slip_number"),
                                json.readValue(rs.getString("legal_representative"), CardHolder.class),
                                json.readValue(rs.getString("operators"), HOLDERS))));
                    }
                });
        return ready;
    }

    private void issue(Current current) {
        UUID applicationId = current.applicationId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<String> numbers = cardNumbers.forSet(current.operators().size());
        LocalDate validUntil = lifecycle.validUntilForNew();
        IssuedCard legalPersonCard = new IssuedCard(numbers.get(0), current.legalRepresentative().name(),
                current.legalRepresentative().maskedIdNumber(), validUntil);
        List<IssuedCard> operatorCards = new ArrayList<>();
        for (int i = 0; i < current.operators().size(); i++) {
            CardHolder operator = current.operators().get(i);
            operatorCards.add(new IssuedCard(numbers.get(i + 1), operator.name(), operator.maskedIdNumber(), validUntil));
        }
        // One reader per card holder, one installation disc per enterprise.
        CardsIssued cards = new CardsIssued(applicationId, current.revision(), current.slipNumber(), legalPersonCard,
                operatorCards, 1 + operatorCards.size(), 1, now);
        int issued = jdbc.sql("""
                        INSERT INTO card_sets (application_id, revision, rests_on, slip_number, legal_person_card, operator_cards,
                                               card_readers, installation_discs, issued_at)
                        VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) ON CONFLICT (application_id) DO NOTHING""")
                .params(applicationId, cards.revision(), cards.revision(), cards.slipNumber(), json.writeValueAsString(legalPersonCard),
                        json.writeValueAsString(operatorCards), cards.cardReaders(), cards.installationDiscs(), Timestamp.from(now))
                .update();
        if (issued == 0) {
            return;
        }
        List<IssuedCard> all = new ArrayList<>(operatorCards.size() + 1);
        all.add(legalPersonCard);
        all.addAll(operatorCards);
        List<CardHolder> holders = new ArrayList<>(all.size());
        holders.add(current.legalRepresentative());
        holders.addAll(current.operators());
        lifecycle.file(applicationId, all, holders);
        outbox.publish(cards);
        meters.counter("eport.cards.issued").increment();
        log.debug("Application {} revision {}: all six agencies approved; issued {} cards (slip {})", applicationId,
                cards.revision(), 1 + operatorCards.size(), cards.slipNumber());
    }

    private record Ready(CardRule.Decision decision, Current current) {
    }

    private record Current(UUID applicationId, int revision, String slipNumber, CardHolder legalRepresentative,
            List<CardHolder> operators) {
    }
}
