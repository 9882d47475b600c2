package cn.eport.cardissuance;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.ReceivedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Aggregates verdicts per application revision and issues the card set once all six agencies have
 * approved the current revision. Runs inside the consumer's transaction, so the verdicts, the
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
    private final Outbox outbox;
    private final CardNumbers cardNumbers;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    CardIssuance(JdbcClient jdbc, Outbox outbox, CardNumbers cardNumbers, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.cardNumbers = cardNumbers;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    void handle(List<ReceivedEvent> events) {
        Set<UUID> touched = new LinkedHashSet<>();
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationSubmitted application) {
                remember(application);
                touched.add(application.applicationId());
            } else if (received.event() instanceof VerdictIssued verdict) {
                record(verdict, received.eventId());
                touched.add(verdict.applicationId());
            }
        }
        touched.forEach(this::issueIfAllApproved);
    }

    /** Keeps the newest revision only: an older one arriving late changes nothing. */
    private void remember(ApplicationSubmitted application) {
        jdbc.sql("""
                        INSERT INTO applications (application_id, revision, slip_number, legal_representative, operators)
                        VALUES (?, ?, ?, ?::jsonb, ?::jsonb)
                        ON CONFLICT (application_id) DO UPDATE
                        SET revision = excluded.revision, slip_number = excluded.slip_number,
                            legal_representative = excluded.legal_representative, operators = excluded.operators
                        WHERE applications.revision < excluded.revision""")
                .params(application.applicationId(), application.revision(), application.slipNumber(),
                        json.writeValueAsString(application.legalRepresentative()), json.writeValueAsString(application.operators()))
                .update();
    }

    private void record(VerdictIssued verdict, String eventId) {
        int inserted = jdbc.sql("""
                        INSERT INTO verdicts (application_id, revision, agency, outcome, decided_by, decided_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(verdict.applicationId(), verdict.revision(), verdict.agency().name(), verdict.outcome().name(),
                        verdict.decidedBy().kind() + ":" + verdict.decidedBy().id(), Timestamp.from(verdict.decidedAt()))
                .update();
        if (inserted == 1) {
            return;
        }
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
        log.error("Conflicting verdict for application {} revision {}: {} already decided {}, event {} says {}; keeping {}",
                verdict.applicationId(), verdict.revision(), verdict.agency(), standing, eventId, verdict.outcome(), standing);
    }

    private void issueIfAllApproved(UUID applicationId) {
        Optional<Current> current = jdbc.sql("""
                        SELECT a.revision, a.slip_number, a.legal_representative::text AS legal_representative,
                               a.operators::text AS operators,
                               (SELECT count(*) FROM verdicts v WHERE v.application_id = a.application_id
                                  AND v.revision = a.revision AND v.outcome = 'APPROVED') AS approvals
                        FROM applications a WHERE a.application_id = ?""")
                .param(applicationId)
                .query((rs, n) -> new Current(rs.getInt("revision"), rs.getString("slip_number"),
                        json.readValue(rs.getString("legal_representative"), CardHolder.class),
                        json.readValue(rs.getString("operators"), HOLDERS), rs.getInt("approvals")))
                .optional();
        if (current.isEmpty() || current.get().approvals() < Agency.values().length) {
            return;
        }
        issue(applicationId, current.get());
    }

    private void issue(UUID applicationId, Current current) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var legalPersonCard = new IssuedCard(cardNumbers.next(CardNumbers.Kind.LP),
                current.legalRepresentative().name(), current.legalRepresentative().maskedIdNumber());
        var operatorCards = current.operators().stream()
                .map(o -> new IssuedCard(cardNumbers.next(CardNumbers.Kind.OP), o.name(), o.maskedIdNumber()))
                .toList();
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
        log.info("Application {} revision {}: all six agencies approved; issued {} cards (slip {})", applicationId,
                cards.revision(), 1 + operatorCards.size(), cards.slipNumber());
    }

    private record Current(int revision, String slipNumber, CardHolder legalRepresentative, List<CardHolder> operators,
            int approvals) {
    }
}
