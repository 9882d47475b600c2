package cn.eport.cardissuance;

import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.CardExpired;
import cn.eport.contracts.CardExpiring;
import cn.eport.contracts.CardExtended;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.CardReplaced;
import cn.eport.contracts.CardSetCancelled;
import cn.eport.contracts.CardsReinstated;
import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.OperatorCardAdded;
import cn.eport.contracts.OperatorCardRemoved;
import cn.eport.contracts.Reason;
import cn.eport.messaging.Outbox;
import cn.eport.web.ApiProblems;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The card set's life after issuance: each change a row update under the set's row lock and its event on
 * {@code eport.cards}, in one transaction through the outbox. A card is usable while it is VALID and its set
 * ACTIVE. A number, once issued, keeps its row for good ({@code cards} primary key): a replaced or cancelled
 * card's number never becomes valid again, and no new card can take it. A change the set or card does not allow
 * is a {@link ApiProblems.Conflict}; one only the counter may make is an {@link AccessDeniedException}.
 */
@Component
class CardLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CardLifecycle.class);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    /** The states of a card that still belongs to its holder: what a set suspension or cancellation covers. */
    private static final List<String> LIVE = List.of("VALID", "SUSPENDED", "EXPIRED");

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final CardNumbers cardNumbers;
    private final CardSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final MeterRegistry meters;

    CardLifecycle(JdbcClient jdbc, Outbox outbox, CardNumbers cardNumbers, CardSettings settings, JsonMapper json, Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.cardNumbers = cardNumbers;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /** A card as the set's holder and the counter see it. */
    record Card(String cardNumber, String kind, String holderName, String maskedIdNumber, String state, LocalDate validUntil,
            @Nullable String replaces, boolean usable) {
    }

    /** A card set: its state, who may act on it, and every card ever issued in it. */
    record CardSet(UUID applicationId, String state, int restsOnRevision, @Nullable String owner, @Nullable String suspendedBy,
            @Nullable Reason suspensionReason, Instant issuedAt, List<Card> cards) {
    }

    /** Whether the set exists, and the online applicant who owns it (empty for a paper application). */
    Optional<Optional<String>> ownerOf(UUID applicationId) {
        return jdbc.sql("SELECT a.owner FROM card_sets s JOIN applications a USING (application_id) WHERE s.application_id = ?")
                .param(applicationId).query((rs, n) -> Optional.ofNullable(rs.getString("owner"))).optional();
    }

    Optional<CardSet> find(UUID applicationId) {
        return jdbc.sql("""
                        SELECT s.application_id, s.state, s.rests_on, a.owner, s.suspended_by, s.suspension_reason, s.issued_at
                        FROM card_sets s JOIN applications a USING (application_id) WHERE s.application_id = ?""")
                .param(applicationId)
                .query((rs, n) -> {
                    String reason = rs.getString("suspension_reason");
                    String state = rs.getString("state");
                    return new CardSet(applicationId, state, rs.getInt("rests_on"), rs.getString("owner"), rs.getString("suspended_by"),
                            reason == null ? null : json.readValue(reason, Reason.class), rs.getTimestamp("issued_at").toInstant(),
                            cardsOf(applicationId, state));
                })
                .optional();
    }

    private List<Card> cardsOf(UUID applicationId, String setState) {
        return jdbc.sql("""
                        SELECT card_number, kind, holder_name, masked_id_number, state, valid_until, replaces
                        FROM cards WHERE application_id = ? ORDER BY kind DESC, issued_at, card_number""")
                .param(applicationId)
                .query((rs, n) -> new Card(rs.getString("card_number"), rs.getString("kind"), rs.getString("holder_name"),
                        rs.getString("masked_id_number"), rs.getString("state"), rs.getObject("valid_until", LocalDate.class),
                        rs.getString("replaces"), "ACTIVE".equals(setState) && "VALID".equals(rs.getString("state"))))
                .list();
    }

    /** The validity of a card issued today. */
    LocalDate validUntilForNew() {
        return today().plus(settings.validity());
    }

    /** Files the cards of a set just issued, in one statement, in the transaction that records the set. */
    void file(UUID applicationId, List<IssuedCard> cards, List<CardHolder> holders) {
        Timestamp now = Timestamp.from(now());
        jdbc.sql("""
                        INSERT INTO cards (card_number, application_id, kind, holder_name, masked_id_number, broker_certificate, state,
                                           valid_until, issued_at, changed_at)
                        SELECT number, ?, substr(number, 1, 2), holder, masked, broker, 'VALID', valid_until, ?, ?
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::date[]) AS c (number, holder, masked, broker, valid_until)""")
                .params(applicationId, now, now,
                        cards.stream().map(IssuedCard::cardNumber).toArray(String[]::new),
                        cards.stream().map(IssuedCard::holderName).toArray(String[]::new),
                        cards.stream().map(IssuedCard::maskedIdNumber).toArray(String[]::new),
                        holders.stream().map(CardHolder::customsBrokerCertificate).toArray(String[]::new),
                        cards.stream().map(c -> Date.valueOf(c.validUntil())).toArray(Date[]::new))
                .update();
    }

    private void insert(UUID applicationId, IssuedCard card, @Nullable String brokerCertificate, @Nullable String replaces, Instant now) {
        jdbc.sql("""
                        INSERT INTO cards (card_number, application_id, kind, holder_name, masked_id_number, broker_certificate, state,
                                           valid_until, replaces, issued_at, changed_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'VALID', ?, ?, ?, ?)""")
                .params(card.cardNumber(), applicationId, card.cardNumber().substring(0, 2), card.holderName(), card.maskedIdNumber(),
                        brokerCertificate, card.validUntil(), replaces, Timestamp.from(now), Timestamp.from(now))
                .update();
    }

    /** 挂失: the card is suspended at once; only a replacement gives its holder a usable card again. */
    @Transactional
    Card reportLost(UUID applicationId, String cardNumber, String by) {
        CardSet set = lockedOpen(applicationId);
        Card card = cardIn(set, cardNumber);
        if (!card.state().equals("VALID") && !card.state().equals("EXPIRED")) {
            throw new ApiProblems.Conflict(cardNumber + " is " + card.state() + ": only a valid or expired card can be reported lost");
        }
        setState(cardNumber, "SUSPENDED");
        outbox.publish(new CardsSuspended(applicationId, List.of(cardNumber),
                new Reason(CardsSuspended.LOSS, "IC卡已挂失", "the card was reported lost"), null, by, now()));
        meters.counter("eport.cards.suspended", "reason", CardsSuspended.LOSS).increment();
        return reread(applicationId, cardNumber);
    }

    /** A lost card's replacement: a new number for the same holder and validity; the lost number is void for good. */
    @Transactional
    Card replace(UUID applicationId, String cardNumber, String by) {
        CardSet set = lockedOpen(applicationId);
        Card lost = cardIn(set, cardNumber);
        if (!lost.state().equals("SUSPENDED")) {
            throw new ApiProblems.Conflict(cardNumber + " is " + lost.state() + ": only a card reported lost is replaced");
        }
        String brokerCertificate = jdbc.sql("SELECT broker_certificate FROM cards WHERE card_number = ?").param(cardNumber)
                .query(String.class).optional().orElse(null);
        String number = cardNumbers.next(CardNumbers.Kind.valueOf(lost.kind()));
        IssuedCard replacement = new IssuedCard(number, lost.holderName(), lost.maskedIdNumber(), lost.validUntil());
        Instant now = now();
        setState(cardNumber, "REPLACED");
        insert(applicationId, replacement, brokerCertificate, cardNumber, now);
        outbox.publish(new CardReplaced(applicationId, cardNumber, replacement, by, now));
        return reread(applicationId, number);
    }

    /**
     * 延期: a valid card's validity runs {@link CardSettings#validity()} longer, under the same number. An expired card is
     * renewed the same way, from today, but only at the counter ({@code atCounter}).
     */
    @Transactional
    Card extend(UUID applicationId, String cardNumber, boolean atCounter, String by) {
        CardSet set = lockedOpen(applicationId);
        Card card = cardIn(set, cardNumber);
        boolean renewal = card.state().equals("EXPIRED");
        if (renewal && !atCounter) {
            throw new AccessDeniedException(cardNumber + " has expired: an expired card is renewed at the counter, by a customs clerk");
        }
        if (!card.state().equals("VALID") && !renewal) {
            throw new ApiProblems.Conflict(cardNumber + " is " + card.state() + ": only a valid or expired card is extended");
        }
        LocalDate validUntil = (renewal ? today() : card.validUntil()).plus(settings.validity());
        jdbc.sql("UPDATE cards SET state = 'VALID', valid_until = ?, changed_at = ? WHERE card_number = ?")
                .params(validUntil, Timestamp.from(now()), cardNumber).update();
        outbox.publish(new CardExtended(applicationId, cardNumber, validUntil, renewal, by, now()));
        return reread(applicationId, cardNumber);
    }

    /** An operator removed: the card is cancelled at once, for good. The legal-person card is not an operator's. */
    @Transactional
    Card removeOperator(UUID applicationId, String cardNumber, String by) {
        CardSet set = lockedOpen(applicationId);
        Card card = cardIn(set, cardNumber);
        if (!card.kind().equals("OP")) {
            throw new ApiProblems.Conflict(cardNumber + " is the legal-person card: it goes only with the account (cancellation)");
        }
        if (!LIVE.contains(card.state())) {
            throw new ApiProblems.Conflict(cardNumber + " is " + card.state() + " already");
        }
        setState(cardNumber, "CANCELLED");
        outbox.publish(new OperatorCardRemoved(applicationId, cardNumber, by, now()));
        return reread(applicationId, cardNumber);
    }

    /** 注销: the enterprise's account cancelled at the counter; every card of the set is cancelled and the set is final. */
    @Transactional
    CardSet cancelAccount(UUID applicationId, String by) {
        CardSet set = lockedOpen(applicationId);
        List<String> cancelled = liveNumbers(set);
        Instant now = now();
        jdbc.sql("UPDATE cards SET state = 'CANCELLED', changed_at = ? WHERE application_id = ? AND state IN ('VALID', 'SUSPENDED', 'EXPIRED')")
                .params(Timestamp.from(now), applicationId).update();
        jdbc.sql("UPDATE card_sets SET state = 'CANCELLED' WHERE application_id = ?").param(applicationId).update();
        outbox.publish(new CardSetCancelled(applicationId, cancelled, by, now));
        log.atInfo().addKeyValue("applicationId", applicationId).log("Card set of application {} cancelled with the account: {} cards",
                applicationId, cancelled.size());
        return find(applicationId).orElseThrow();
    }

    /**
     * An agency withdrew its approval. Recorded in any case (card issuance then counts that agency's approval of
     * the revision as withdrawn); the set, when it exists, rests on that revision and is active, is suspended whole.
     * Runs in the consumer's transaction.
     */
    void withdrawn(ApprovalWithdrawn withdrawal) {
        int recorded = jdbc.sql("""
                        INSERT INTO withdrawals (application_id, revision, agency, reasons, decided_at) VALUES (?, ?, ?, ?::jsonb, ?)
                        ON CONFLICT DO NOTHING""")
                .params(withdrawal.applicationId(), withdrawal.revision(), withdrawal.agency().name(),
                        json.writeValueAsString(withdrawal.reasons()), Timestamp.from(withdrawal.decidedAt()))
                .update();
        if (recorded == 0) {
            return;
        }
        Optional<CardSet> set = locked(withdrawal.applicationId());
        if (set.isEmpty() || !set.get().state().equals("ACTIVE") || set.get().restsOnRevision() != withdrawal.revision()) {
            log.atInfo().addKeyValue("applicationId", withdrawal.applicationId()).log(
                    "{} withdrew its approval of application {} revision {}; no active card set rests on that revision",
                    withdrawal.agency(), withdrawal.applicationId(), withdrawal.revision());
            return;
        }
        Reason reason = withdrawal.reasons().get(0);
        jdbc.sql("UPDATE card_sets SET state = 'SUSPENDED', suspended_by = ?, suspension_reason = ?::jsonb WHERE application_id = ?")
                .params(withdrawal.agency().name(), json.writeValueAsString(reason), withdrawal.applicationId()).update();
        List<String> suspended = liveNumbers(set.get());
        outbox.publish(new CardsSuspended(withdrawal.applicationId(), suspended, reason, withdrawal.agency(),
                "agency:" + withdrawal.agency().id(), now()));
        meters.counter("eport.cards.suspended", "reason", reason.code()).increment();
        log.atWarn().addKeyValue("applicationId", withdrawal.applicationId()).log(
                "{} withdrew its approval of application {} revision {} ({}): card set suspended", withdrawal.agency(),
                withdrawal.applicationId(), withdrawal.revision(), reason.code());
    }

    /**
     * All six approved a revision newer than the one the issued set rests on (an amendment): the set now rests on
     * it, is reinstated under the same numbers if a withdrawal had suspended it, and gets a card for each operator
     * the revision names who has none. Runs in the consumer's transaction, under the decision lock.
     */
    void approvedAgain(UUID applicationId, int revision, List<CardHolder> operators) {
        CardSet set = locked(applicationId).orElseThrow();
        if (set.state().equals("CANCELLED") || revision <= set.restsOnRevision()) {
            return;
        }
        Instant now = now();
        jdbc.sql("UPDATE card_sets SET rests_on = ?, state = 'ACTIVE', suspended_by = NULL, suspension_reason = NULL WHERE application_id = ?")
                .params(revision, applicationId).update();
        if (set.state().equals("SUSPENDED")) {
            List<String> reinstated = liveNumbers(set);
            outbox.publish(new CardsReinstated(applicationId, revision, reinstated, now));
            log.atInfo().addKeyValue("applicationId", applicationId).log("Application {} revision {} approved again: card set reinstated",
                    applicationId, revision);
        }
        for (CardHolder operator : operators) {
            boolean hasCard = set.cards().stream().anyMatch(c -> c.kind().equals("OP") && LIVE.contains(c.state())
                    && c.holderName().equals(operator.name()) && c.maskedIdNumber().equals(operator.maskedIdNumber()));
            if (!hasCard) {
                IssuedCard card = new IssuedCard(cardNumbers.next(CardNumbers.Kind.OP), operator.name(), operator.maskedIdNumber(),
                        validUntilForNew());
                insert(applicationId, card, operator.customsBrokerCertificate(), null, now);
                outbox.publish(new OperatorCardAdded(applicationId, revision, card, now));
            }
        }
    }

    /**
     * One round of the card clock: valid cards past their last day expire, and valid cards within the reminder
     * window get their reminder, once per validity. Returns how many cards it changed or reminded of.
     */
    @Transactional
    int tick(int limit) {
        LocalDate today = today();
        Instant now = now();
        List<Due> expired = due("state = 'EXPIRED', changed_at = ?", "valid_until < ?", limit, Timestamp.from(now), today);
        expired.forEach(d -> outbox.publish(new CardExpired(d.applicationId(), d.cardNumber(), d.validUntil(), now)));
        List<Due> reminded = due("reminded_for = valid_until", "valid_until <= ? AND reminded_for IS DISTINCT FROM valid_until", limit,
                today.plusDays(settings.reminderDays()));
        reminded.forEach(d -> outbox.publish(new CardExpiring(d.applicationId(), d.cardNumber(), d.validUntil(), now)));
        if (!expired.isEmpty() || !reminded.isEmpty()) {
            log.info("Card clock: {} cards expired, {} reminded of their expiry", expired.size(), reminded.size());
        }
        return expired.size() + reminded.size();
    }

    private record Due(UUID applicationId, String cardNumber, LocalDate validUntil) {
    }

    /**
     * Makes {@code change} to up to {@code limit} valid cards that meet {@code condition}, the soonest to end first,
     * locked so that other instances skip them; {@code params} fill the change's and then the condition's placeholders.
     */
    private List<Due> due(String change, String condition, int limit, Object... params) {
        List<Object> all = new ArrayList<>(List.of(params));
        all.add(limit);
        return jdbc.sql("UPDATE cards SET " + change
                        + " WHERE card_number IN (SELECT card_number FROM cards WHERE state = 'VALID' AND " + condition
                        + " ORDER BY valid_until LIMIT ? FOR UPDATE SKIP LOCKED)"
                        + " RETURNING application_id, card_number, valid_until")
                .params(all)
                .query((rs, n) -> new Due(rs.getObject("application_id", UUID.class), rs.getString("card_number"),
                        rs.getObject("valid_until", LocalDate.class)))
                .list();
    }

    private Optional<CardSet> locked(UUID applicationId) {
        boolean exists = jdbc.sql("SELECT 1 FROM card_sets WHERE application_id = ? FOR UPDATE").param(applicationId)
                .query(Integer.class).optional().isPresent();
        return exists ? find(applicationId) : Optional.empty();
    }

    /** The set under its row lock, if it exists and is not cancelled. */
    private CardSet lockedOpen(UUID applicationId) {
        CardSet set = locked(applicationId).orElseThrow(() -> new ApiProblems.NotFound("No card set for application " + applicationId));
        if (set.state().equals("CANCELLED")) {
            throw new ApiProblems.Conflict("the card set of " + applicationId + " was cancelled with the account: it is final");
        }
        return set;
    }

    /** The numbers of the cards that still belong to their holders: what a set suspension, reinstatement or cancellation covers. */
    private static List<String> liveNumbers(CardSet set) {
        return set.cards().stream().filter(c -> LIVE.contains(c.state())).map(Card::cardNumber).toList();
    }

    private static Card cardIn(CardSet set, String cardNumber) {
        return set.cards().stream().filter(c -> c.cardNumber().equals(cardNumber)).findFirst()
                .orElseThrow(() -> new ApiProblems.NotFound("No card " + cardNumber + " in the card set of application " + set.applicationId()));
    }

    private void setState(String cardNumber, String state) {
        jdbc.sql("UPDATE cards SET state = ?, changed_at = ? WHERE card_number = ?").params(state, Timestamp.from(now()), cardNumber)
                .update();
    }

    private Card reread(UUID applicationId, String cardNumber) {
        return cardIn(find(applicationId).orElseThrow(), cardNumber);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(CHINA));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
