package cn.eport.agencycheck;

import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Reason;
import cn.eport.contracts.VerdictIssued;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agency's checks, one per application revision: PENDING until the registry has answered and
 * the rules have decided, then DECIDED, or REFERRED until a reviewer decides. A check waiting on a
 * registry outage stays PENDING with a later {@code next_attempt_at}: parked.
 */
final class Checks {

    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, RegistryRecord>> FACTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final JsonMapper json;

    Checks(JdbcClient jdbc, JdbcTemplate jdbcTemplate, JsonMapper json) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.json = json;
    }

    /**
     * A check claimed by a worker until {@code leaseUntil}: accepted (its clock started) at
     * {@code acceptedAt}, parked on a registry outage since {@code parkedSince} if it is.
     */
    record Claimed(UUID applicationId, int revision, ApplicationRevision application, int attempts, Timestamp leaseUntil,
            Instant acceptedAt, @Nullable Instant parkedSince) {
    }

    /**
     * A check as a reviewer sees it, with its clock: accepted at {@code receivedAt}, due by
     * {@code deadline} (null for a check accepted before the clocks, or past the calendar's tables).
     */
    record Case(UUID applicationId, int revision, String state, ApplicationRevision application, @Nullable String outcome,
            List<Reason> reasons, Map<String, RegistryRecord> facts, @Nullable String decidedBy, @Nullable Instant decidedAt,
            Instant receivedAt, @Nullable Instant deadline, @Nullable Instant warnedAt, @Nullable Instant breachedAt,
            long registryOutageMillis, @Nullable Instant approvalWithdrawnAt) {
    }

    /**
     * Records the revisions to check, in one statement, as accepted at {@code acceptedAt} with the
     * agency's deadlines from then; returns those that were not known before.
     */
    List<ApplicationRevision> accept(List<ApplicationRevision> applications, Instant acceptedAt, int limitWorkingDays,
            Optional<StatutoryClock.Deadlines> deadlines) {
        if (applications.isEmpty()) {
            return List.of();
        }
        Timestamp warnAt = deadlines.map(d -> Timestamp.from(d.warnAt())).orElse(null);
        List<String> inserted = jdbc.sql("""
                        INSERT INTO checks (application_id, revision, application, event_type, state, received_at, time_limit_days,
                                            warn_at, deadline_at, next_escalation_at)
                        SELECT id, revision, application, event_type, 'PENDING', ?::timestamptz, ?::integer,
                               ?::timestamptz, ?::timestamptz, ?::timestamptz
                        FROM unnest(?::uuid[], ?::integer[], ?::jsonb[], ?::text[]) AS submitted (id, revision, application, event_type)
                        ON CONFLICT DO NOTHING
                        RETURNING application_id::text || '/' || revision""")
                .params(Timestamp.from(acceptedAt), deadlines.isPresent() ? limitWorkingDays : null, warnAt,
                        deadlines.map(d -> Timestamp.from(d.deadline())).orElse(null), warnAt,
                        applications.stream().map(a -> a.applicationId().toString()).toArray(String[]::new),
                        applications.stream().map(ApplicationRevision::revision).toArray(Integer[]::new),
                        applications.stream().map(json::writeValueAsString).toArray(String[]::new),
                        applications.stream().map(a -> EventType.of(a).ceType()).toArray(String[]::new))
                .query(String.class).list();
        Set<String> fresh = new HashSet<>(inserted);
        return applications.stream().filter(a -> fresh.remove(a.applicationId() + "/" + a.revision())).toList();
    }

    /** Stops the checks of older revisions that are not final: their verdicts could no longer count. */
    int supersedeOlderThan(ApplicationRevision revision) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'SUPERSEDED', lease_until = NULL, next_escalation_at = NULL
                        WHERE application_id = ? AND revision < ? AND state IN ('PENDING', 'REFERRED')""")
                .params(revision.applicationId(), revision.revision()).update();
    }

    /** Stops every check of a withdrawn application that is not final. */
    int withdraw(UUID applicationId) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'WITHDRAWN', lease_until = NULL, next_escalation_at = NULL
                        WHERE application_id = ? AND state IN ('PENDING', 'REFERRED')""")
                .param(applicationId).update();
    }

    /** The newest decided check of an earlier revision: what an amendment may carry forward. */
    Optional<Case> previousDecided(ApplicationRevision revision) {
        return jdbc.sql(select() + " WHERE application_id = ? AND revision < ? AND state = 'DECIDED' ORDER BY revision DESC LIMIT 1")
                .params(revision.applicationId(), revision.revision()).query(this::toCase).optional();
    }

    /**
     * Decides a pending check on the spot, with no registry round: an approval carried forward, resting on
     * the {@code facts} of the approval it carries, so that a change to them withdraws it too.
     */
    boolean decideNow(VerdictIssued verdict, Map<String, RegistryRecord> facts) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'DECIDED', outcome = ?, reasons = ?::jsonb, facts = ?::jsonb, decided_by = ?,
                                          decided_at = ?, next_escalation_at = NULL
                        WHERE application_id = ? AND revision = ? AND state = 'PENDING'""")
                .params(verdict.outcome().name(), json.writeValueAsString(verdict.reasons()), json.writeValueAsString(facts),
                        decider(verdict), Timestamp.from(verdict.decidedAt()), verdict.applicationId(), verdict.revision())
                .update() == 1;
    }

    /** An approval that stands: decided, not withdrawn, and no later revision has been decided since. */
    record Standing(UUID applicationId, int revision, ApplicationRevision application) {
    }

    /**
     * The standing approvals ({@link Standing}), to which a query adds its condition: the rows of the partial
     * indexes {@code checks_standing_approvals} and {@code checks_standing_expiry}.
     */
    private static final String STANDING = """
            SELECT application_id, revision, application::text AS application, event_type FROM checks approved
            WHERE state = 'DECIDED' AND outcome = 'APPROVED' AND approval_withdrawn_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM checks later WHERE later.application_id = approved.application_id
                              AND later.revision > approved.revision AND later.state = 'DECIDED')
            """;

    /** The standing approvals that rest on a registry record numbered one of {@code numbers}, oldest first. */
    List<Standing> approvalsResting(Collection<String> numbers) {
        return jdbc.sql(STANDING + " AND eport_fact_numbers(facts) && ?::text[] ORDER BY decided_at")
                .param(numbers.toArray(String[]::new))
                .query(this::toStanding)
                .list();
    }

    /**
     * Up to {@code limit} standing approvals resting on a record whose last valid day came before {@code today},
     * those that ran out first first.
     */
    List<Standing> approvalsOutOfDate(LocalDate today, int limit) {
        return jdbc.sql(STANDING + " AND eport_fact_first_expiry(facts) < ? ORDER BY eport_fact_first_expiry(facts) LIMIT ?")
                .params(today.toString(), limit)
                .query(this::toStanding)
                .list();
    }

    private Standing toStanding(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Standing(rs.getObject("application_id", UUID.class), rs.getInt("revision"),
                revision(rs.getString("application"), rs.getString("event_type")));
    }

    /** Marks a standing approval withdrawn at {@code at}; false when it was withdrawn already (or no longer stands). */
    boolean withdrawApproval(UUID applicationId, int revision, Instant at) {
        return jdbc.sql("""
                        UPDATE checks SET approval_withdrawn_at = ?
                        WHERE application_id = ? AND revision = ? AND state = 'DECIDED' AND outcome = 'APPROVED'
                          AND approval_withdrawn_at IS NULL""")
                .params(Timestamp.from(at), applicationId, revision).update() == 1;
    }

    /** A standing approval the registry's change left standing now rests on the registry's records as they are now. */
    void restApprovalOn(UUID applicationId, int revision, RegistryFacts facts) {
        jdbc.sql("""
                        UPDATE checks SET facts = ?::jsonb
                        WHERE application_id = ? AND revision = ? AND state = 'DECIDED' AND outcome = 'APPROVED'
                          AND approval_withdrawn_at IS NULL""")
                .params(json.writeValueAsString(flatten(facts)), applicationId, revision).update();
    }

    /** Where this agency has read the registry's change feed to. */
    long feedCursor() {
        return jdbc.sql("SELECT next_cursor FROM registry_feed").query(Long.class).single();
    }

    /** Moves the feed's cursor from {@code from} to {@code to}; false when another instance moved it first. */
    boolean moveFeedCursor(long from, long to) {
        return jdbc.sql("UPDATE registry_feed SET next_cursor = ? WHERE next_cursor = ?").params(to, from).update() == 1;
    }

    /** Claims up to {@code limit} due checks that no other worker holds, for {@code lease}. */
    List<Claimed> claimDue(int limit, Duration lease) {
        return jdbc.sql("""
                        UPDATE checks SET lease_until = now() + ?::interval
                        WHERE (application_id, revision) IN (
                            SELECT application_id, revision FROM checks
                            WHERE state = 'PENDING' AND next_attempt_at <= now()
                              AND (lease_until IS NULL OR lease_until < now())
                            ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING application_id, revision, application::text AS application, event_type, attempts, lease_until,
                                  received_at, parked_since""")
                .params(lease.toMillis() + " milliseconds", limit)
                .query(this::toClaimed).list();
    }

    /**
     * Claims the parked check due soonest, although it is not due yet: the probe that finds out
     * whether the registry answers again.
     */
    List<Claimed> claimProbe(Duration lease) {
        return jdbc.sql("""
                        UPDATE checks SET lease_until = now() + ?::interval
                        WHERE (application_id, revision) IN (
                            SELECT application_id, revision FROM checks
                            WHERE state = 'PENDING' AND attempts > 0 AND (lease_until IS NULL OR lease_until < now())
                            ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING application_id, revision, application::text AS application, event_type, attempts, lease_until,
                                  received_at, parked_since""")
                .param(lease.toMillis() + " milliseconds")
                .query(this::toClaimed).list();
    }

    private Claimed toClaimed(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp parkedSince = rs.getTimestamp("parked_since");
        return new Claimed(rs.getObject("application_id", UUID.class), rs.getInt("revision"),
                revision(rs.getString("application"), rs.getString("event_type")), rs.getInt("attempts"),
                rs.getTimestamp("lease_until"), rs.getTimestamp("received_at").toInstant(),
                parkedSince == null ? null : parkedSince.toInstant());
    }

    /** The registry answers again: every parked check is due now rather than after its own delay. */
    int releaseParked() {
        return jdbc.sql("UPDATE checks SET next_attempt_at = now() WHERE state = 'PENDING' AND attempts > 0 AND next_attempt_at > now()")
                .update();
    }

    /** A claimed check's verdict, with the registry's answers it was decided on. */
    record Decided(Claimed check, VerdictIssued verdict, RegistryFacts facts) {
    }

    /**
     * Records the verdicts of claimed checks, in one JDBC batch; returns those recorded, leaving out
     * any whose claim was lost meanwhile. {@code outage} is the working time a check spent parked,
     * added to its outage time. A final verdict stops the check's clock; a referral leaves it running.
     */
    List<Decided> decide(List<Decided> decided, Function<Decided, Duration> outage) {
        int[] updated = jdbcTemplate.batchUpdate("""
                        UPDATE checks SET state = ?, outcome = ?, reasons = ?::jsonb, facts = ?::jsonb, decided_by = ?,
                                          decided_at = ?, lease_until = NULL, last_error = NULL,
                                          next_escalation_at = CASE WHEN ? THEN NULL ELSE next_escalation_at END,
                                          outage_ms = outage_ms + ?, parked_since = NULL
                        WHERE application_id = ? AND revision = ? AND state = 'PENDING' AND lease_until = ?""",
                decided.stream().map(d -> new Object[] {d.verdict().outcome().isFinal() ? "DECIDED" : "REFERRED",
                        d.verdict().outcome().name(), json.writeValueAsString(d.verdict().reasons()),
                        json.writeValueAsString(flatten(d.facts())), decider(d.verdict()), Timestamp.from(d.verdict().decidedAt()),
                        d.verdict().outcome().isFinal(), outage.apply(d).toMillis(),
                        d.check().applicationId(), d.check().revision(), d.check().leaseUntil()}).toList());
        List<Decided> recorded = new ArrayList<>(decided.size());
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] != 0) {
                recorded.add(decided.get(i));
            }
        }
        return recorded;
    }

    /**
     * Parks a claimed check the registry could not answer for: it is due again after {@code delay}.
     * Its outage began at {@code now} unless it was parked already.
     */
    void park(Claimed check, Duration delay, String error, Instant now) {
        jdbc.sql("""
                        UPDATE checks SET attempts = attempts + 1, next_attempt_at = now() + ?::interval, last_error = ?,
                                          lease_until = NULL, parked_since = coalesce(parked_since, ?)
                        WHERE application_id = ? AND revision = ? AND state = 'PENDING' AND lease_until = ?""")
                .params(delay.toMillis() + " milliseconds", error.length() > 500 ? error.substring(0, 500) : error,
                        Timestamp.from(now),
                        check.applicationId(), check.revision(), check.leaseUntil())
                .update();
    }

    /** Records a reviewer's final verdict on a referred check; false when it is not (or no longer) referred. */
    boolean decideReferral(VerdictIssued verdict) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'DECIDED', outcome = ?, reasons = ?::jsonb, decided_by = ?, decided_at = ?,
                                          next_escalation_at = NULL
                        WHERE application_id = ? AND revision = ? AND state = 'REFERRED'""")
                .params(verdict.outcome().name(), json.writeValueAsString(verdict.reasons()), decider(verdict),
                        Timestamp.from(verdict.decidedAt()), verdict.applicationId(), verdict.revision())
                .update() == 1;
    }

    /** The referred cases, breached ones first, then by deadline: the oldest first. */
    List<Case> referred(int limit) {
        return jdbc.sql(select() + " WHERE state = 'REFERRED' ORDER BY breached_at IS NULL, coalesce(deadline_at, received_at), received_at"
                        + " LIMIT ?")
                .param(limit).query(this::toCase).list();
    }

    Optional<Case> find(UUID applicationId, int revision) {
        return jdbc.sql(select() + " WHERE application_id = ? AND revision = ?").params(applicationId, revision)
                .query(this::toCase).optional();
    }

    /** An open check whose warning or deadline has come, locked for the escalation that raises it. */
    record Due(UUID applicationId, int revision, String state, Instant acceptedAt, Instant warnAt, Instant deadline,
            int limitWorkingDays, @Nullable Instant warnedAt, @Nullable Instant parkedSince, long outageMillis) {
    }

    /**
     * Up to {@code limit} checks whose next escalation is due at {@code now}, oldest first, locked
     * until the transaction ends; other instances skip them. Checks no longer open are among them only
     * if a stop forgot to clear their escalation, and are cleared on the way.
     */
    List<Due> dueEscalations(Instant now, int limit) {
        jdbc.sql("""
                        UPDATE checks SET next_escalation_at = NULL
                        WHERE next_escalation_at <= ? AND state NOT IN ('PENDING', 'REFERRED')""")
                .param(Timestamp.from(now)).update();
        return jdbc.sql("""
                        SELECT application_id, revision, state, received_at, warn_at, deadline_at, time_limit_days, warned_at,
                               parked_since, outage_ms
                        FROM checks WHERE next_escalation_at <= ? AND state IN ('PENDING', 'REFERRED')
                        ORDER BY next_escalation_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(Timestamp.from(now), limit)
                .query((rs, n) -> new Due(rs.getObject("application_id", UUID.class), rs.getInt("revision"), rs.getString("state"),
                        rs.getTimestamp("received_at").toInstant(), rs.getTimestamp("warn_at").toInstant(),
                        rs.getTimestamp("deadline_at").toInstant(), rs.getInt("time_limit_days"), instant(rs, "warned_at"),
                        instant(rs, "parked_since"), rs.getLong("outage_ms")))
                .list();
    }

    /** Records that {@code due} was warned about, and breached where {@code breachedAt} is given: its next escalation, or none. */
    void escalated(List<Due> due, Instant now) {
        jdbcTemplate.batchUpdate("""
                        UPDATE checks SET warned_at = coalesce(warned_at, ?), breached_at = ?,
                                          next_escalation_at = CASE WHEN ? THEN NULL ELSE deadline_at END
                        WHERE application_id = ? AND revision = ?""",
                due.stream().map(d -> {
                    boolean breached = !d.deadline().isAfter(now);
                    return new Object[] {Timestamp.from(now), breached ? Timestamp.from(now) : null, breached, d.applicationId(),
                            d.revision()};
                }).toList());
    }

    /** A final verdict's clock: accepted, decided, due, and the working time parked on outages. */
    record Timed(Instant acceptedAt, Instant decidedAt, Instant deadline, @Nullable Instant breachedAt, long outageMillis) {
    }

    /** The checks given a final verdict within {@code [from, to)} that ran on a clock, oldest decision first. */
    List<Timed> decidedBetween(Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT received_at, decided_at, deadline_at, breached_at, outage_ms FROM checks
                        WHERE state = 'DECIDED' AND decided_at >= ? AND decided_at < ? AND deadline_at IS NOT NULL
                        ORDER BY decided_at""")
                .params(Timestamp.from(from), Timestamp.from(to))
                .query((rs, n) -> new Timed(rs.getTimestamp("received_at").toInstant(), rs.getTimestamp("decided_at").toInstant(),
                        rs.getTimestamp("deadline_at").toInstant(), instant(rs, "breached_at"), rs.getLong("outage_ms")))
                .list();
    }

    /** How many checks breached their limit within {@code [from, to)}, decided since or not. */
    long breachedBetween(Instant from, Instant to) {
        return jdbc.sql("SELECT count(*) FROM checks WHERE breached_at >= ? AND breached_at < ?")
                .params(Timestamp.from(from), Timestamp.from(to)).query(Long.class).single();
    }

    /** An open check's clock, for the agency's clock overview. */
    record Open(UUID applicationId, int revision, String state, Instant acceptedAt, @Nullable Instant deadline,
            @Nullable Instant breachedAt) {
    }

    /** The open checks on a clock that are warned about or breached, breached first, then by deadline; and the oldest open check. */
    List<Open> escalatedOpen(int limit) {
        return jdbc.sql("""
                        SELECT application_id, revision, state, received_at, deadline_at, breached_at FROM checks
                        WHERE warned_at IS NOT NULL AND state IN ('PENDING', 'REFERRED')
                        ORDER BY breached_at IS NULL, deadline_at LIMIT ?""")
                .param(limit).query(this::toOpen).list();
    }

    Optional<Open> oldestOpen() {
        return jdbc.sql("""
                        SELECT application_id, revision, state, received_at, deadline_at, breached_at FROM checks
                        WHERE state IN ('PENDING', 'REFERRED') ORDER BY received_at LIMIT 1""")
                .query(this::toOpen).optional();
    }

    private Open toOpen(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Open(rs.getObject("application_id", UUID.class), rs.getInt("revision"), rs.getString("state"),
                rs.getTimestamp("received_at").toInstant(), instant(rs, "deadline_at"), instant(rs, "breached_at"));
    }

    long count(String state) {
        return jdbc.sql("SELECT count(*) FROM checks WHERE state = ?").param(state).query(Long.class).single();
    }

    long parked() {
        return jdbc.sql("SELECT count(*) FROM checks WHERE state = 'PENDING' AND attempts > 0").query(Long.class).single();
    }

    private static String decider(VerdictIssued verdict) {
        return verdict.decidedBy().kind() + ":" + verdict.decidedBy().id();
    }

    private static String select() {
        return """
                SELECT application_id, revision, state, application::text AS application, event_type, outcome, reasons::text AS reasons,
                       facts::text AS facts, decided_by, decided_at, received_at, deadline_at, warned_at, breached_at, outage_ms,
                       approval_withdrawn_at
                FROM checks""";
    }

    private Case toCase(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        String reasons = rs.getString("reasons");
        String facts = rs.getString("facts");
        Timestamp decidedAt = rs.getTimestamp("decided_at");
        return new Case(rs.getObject("application_id", UUID.class), rs.getInt("revision"), rs.getString("state"),
                revision(rs.getString("application"), rs.getString("event_type")), rs.getString("outcome"),
                reasons == null ? List.of() : json.readValue(reasons, REASONS),
                facts == null ? Map.of() : json.readValue(facts, FACTS),
                rs.getString("decided_by"), decidedAt == null ? null : decidedAt.toInstant(),
                rs.getTimestamp("received_at").toInstant(), instant(rs, "deadline_at"), instant(rs, "warned_at"),
                instant(rs, "breached_at"), rs.getLong("outage_ms"), instant(rs, "approval_withdrawn_at"));
    }

    private static @Nullable Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private ApplicationRevision revision(String application, String eventType) {
        return (ApplicationRevision) json.readValue(application, EventType.ofCeType(eventType).orElseThrow().recordType());
    }

    private static Map<String, @Nullable RegistryRecord> flatten(RegistryFacts facts) {
        Map<String, @Nullable RegistryRecord> flat = new LinkedHashMap<>();
        facts.answers().forEach((name, answer) -> flat.put(name, answer.orElse(null)));
        return flat;
    }
}
