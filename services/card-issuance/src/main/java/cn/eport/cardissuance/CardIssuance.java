package cn.eport.cardissuance;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationRevision;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Aggregates verdicts per application revision and issues the card set once all six agencies have
 * approved the current revision and telecom has registered the enterprise, unless it was withdrawn. Runs inside the consumer's transaction, so the verdicts, the
 * card set and the CardsIssued event commit together with the inbox rows of the batch.
 *
 * <p>What it counts is agencies, never events: the verdicts table holds one row per agency per
 * revision, so copies of a verdict count once, and a verdict for another revision never counts
 * for the current one, whichever order they arrive in.
 */
@Component
class CardIssuance {

    private static final Logger log = LoggerFactory.getLogger(CardIssuance.class);
    private static final TypeReference<List<CardHolder>> HOLDERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Outbox outbox;
    private final CardNumbers cardNumbers;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    CardIssuance(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Outbox outbox, CardNumbers cardNumbers, JsonMapper json,
            Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.outbox = outbox;
        this.cardNumbers = cardNumbers;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    void handle(List<ReceivedEvent> events) {
        Map<UUID, ApplicationRevision> newest = new LinkedHashMap<>();
        List<ReceivedEvent> verdicts = new ArrayList<>();
        Set<UUID> touched = new LinkedHashSet<>();
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationRevision application) {
                newest.merge(application.applicationId(), application, (a, b) -> a.revision() >= b.revision() ? a : b);
            } else if (received.event() instanceof VerdictIssued verdict) {
                verdicts.add(received);
            }
            touched.add(received.event().applicationId());
        }
        remember(newest.values());
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
        List<Current> ready = readyForCards(touched);
        ready.forEach(this::issue);
        if (!ready.isEmpty()) {
            log.info("All six agencies approved {} applications; issued their card sets", ready.size());
        }
    }

    /** Withdrawn means no cards: the row is kept (or created) and marked, so nothing arriving later issues them. */
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
        int[] inserted = jdbcTemplate.batchUpdate("""
                        INSERT INTO verdicts (application_id, revision, agency, outcome, decided_by, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                received.stream().map(r -> (VerdictIssued) r.event()).map(v -> new Object[] {v.applicationId(), v.revision(),
                        v.agency().name(), v.outcome().name(), v.decidedBy().kind() + ":" + v.decidedBy().id(),
                        Timestamp.from(v.decidedAt())}).toList());
        for (int i = 0; i < inserted.length; i++) {
            if (inserted[i] == 0) {
                settle((VerdictIssued) received.get(i).event(), received.get(i).eventId());
            }
        }
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
     * Of the applications given, those not withdrawn whose current revision all six agencies have
     * approved, whose enterprise telecom has registered, and that have no cards yet.
     */
    private List<Current> readyForCards(Set<UUID> applications) {
        if (applications.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT a.application_id, a.revision, a.slip_number, a.legal_representative::text AS legal_representative,
                               a.operators::text AS operators
                        FROM applications a
                        WHERE a.application_id = ANY(?::uuid[]) AND a.withdrawn_at IS NULL
                          AND EXISTS (SELECT 1 FROM telecom_registrations t WHERE t.application_id = a.application_id)
                          AND NOT EXISTS (SELECT 1 FROM card_sets c WHERE c.application_id = a.application_id)
                          AND (SELECT count(*) FROM verdicts v WHERE v.application_id = a.application_id
                                 AND v.revision = a.revision AND v.outcome = 'APPROVED') = ?""")
                .params(applications.stream().map(UUID::toString).toArray(String[]::new), Agency.values().length)
                .query((rs, n) -> new Current(rs.getObject("application_id", UUID.class), rs.getInt("revision"),
                        rs.getString("slip_number"), json.readValue(rs.getString("legal_representative"), CardHolder.class),
                        json.readValue(rs.getString("operators"), HOLDERS)))
                .list();
    }

    private void issue(Current current) {
        UUID applicationId = current.applicationId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<String> numbers = cardNumbers.forSet(current.operators().size());
        IssuedCard legalPersonCard = new IssuedCard(numbers.get(0), current.legalRepresentative().name(),
                current.legalRepresentative().maskedIdNumber());
        List<IssuedCard> operatorCards = new ArrayList<>();
        for (int i = 0; i < current.operators().size(); i++) {
            CardHolder operator = current.operators().get(i);
            operatorCards.add(new IssuedCard(numbers.get(i + 1), operator.name(), operator.maskedIdNumber()));
        }
        // One reader per card holder, one installation disc per enterprise.
        CardsIssued cards = new CardsIssued(applicationId, current.revision(), current.slipNumber(), legalPersonCard,
                operatorCards, 1 + operatorCards.size(), 1, now);
        int issued = jdbc.sql("""
                        INSERT INTO card_sets (application_id, revision, slip_number, legal_person_card, operator_cards,
                                               card_readers, installation_discs, issued_at)
                        VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) ON CONFLICT (application_id) DO NOTHING""")
                .params(applicationId, cards.revision(), cards.slipNumber(), json.writeValueAsString(legalPersonCard),
                        json.writeValueAsString(operatorCards), cards.cardReaders(), cards.installationDiscs(), Timestamp.from(now))
                .update();
        if (issued == 0) {
            return;
        }
        outbox.publish(cards);
        meters.counter("eport.cards.issued").increment();
        log.debug("Application {} revision {}: all six agencies approved; issued {} cards (slip {})", applicationId,
                cards.revision(), 1 + operatorCards.size(), cards.slipNumber());
    }

    private record Current(UUID applicationId, int revision, String slipNumber, CardHolder legalRepresentative,
            List<CardHolder> operators) {
    }
}
