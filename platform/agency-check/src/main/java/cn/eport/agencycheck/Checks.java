package cn.eport.agencycheck;

import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Reason;
import cn.eport.contracts.VerdictIssued;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

    /** A check claimed by a worker until {@code leaseUntil}. */
    record Claimed(UUID applicationId, int revision, ApplicationRevision application, int attempts, Timestamp leaseUntil) {
    }

    /** A check as a reviewer sees it. */
    record Case(UUID applicationId, int revision, String state, ApplicationRevision application, @Nullable String outcome,
            List<Reason> reasons, Map<String, RegistryRecord> facts, @Nullable String decidedBy, @Nullable Instant decidedAt,
            Instant receivedAt) {
    }

    /** Records the revisions to check, in one statement; returns those that were not known before. */
    List<ApplicationRevision> accept(List<ApplicationRevision> applications) {
        if (applications.isEmpty()) {
            return List.of();
        }
        List<String> inserted = jdbc.sql("""
                        INSERT INTO checks (application_id, revision, application, event_type, state)
                        SELECT id, revision, application, event_type, 'PENDING'
                        FROM unnest(?::uuid[], ?::integer[], ?::jsonb[], ?::text[]) AS submitted (id, revision, application, event_type)
                        ON CONFLICT DO NOTHING
                        RETURNING application_id::text || '/' || revision""")
                .params(applications.stream().map(a -> a.applicationId().toString()).toArray(String[]::new),
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
                        UPDATE checks SET state = 'SUPERSEDED', lease_until = NULL
                        WHERE application_id = ? AND revision < ? AND state IN ('PENDING', 'REFERRED')""")
                .params(revision.applicationId(), revision.revision()).update();
    }

    /** Stops every check of a withdrawn application that is not final. */
    int withdraw(UUID applicationId) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'WITHDRAWN', lease_until = NULL
                        WHERE application_id = ? AND state IN ('PENDING', 'REFERRED')""")
                .param(applicationId).update();
    }

    /** The newest decided check of an earlier revision: what an amendment may carry forward. */
    Optional<Case> previousDecided(ApplicationRevision revision) {
        return jdbc.sql(select() + " WHERE application_id = ? AND revision < ? AND state = 'DECIDED' ORDER BY revision DESC LIMIT 1")
                .params(revision.applicationId(), revision.revision()).query(this::toCase).optional();
    }

    /** Decides a pending check on the spot, with no registry round: an approval carried forward. */
    boolean decideNow(VerdictIssued verdict) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'DECIDED', outcome = ?, reasons = ?::jsonb, decided_by = ?, decided_at = ?
                        WHERE application_id = ? AND revision = ? AND state = 'PENDING'""")
                .params(verdict.outcome().name(), json.writeValueAsString(verdict.reasons()), decider(verdict),
                        Timestamp.from(verdict.decidedAt()), verdict.applicationId(), verdict.revision())
                .update() == 1;
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
                        RETURNING application_id, revision, application::text AS application, event_type, attempts, lease_until""")
                .params(lease.toMillis() + " milliseconds", limit)
                .query((rs, n) -> new Claimed(rs.getObject("application_id", UUID.class), rs.getInt("revision"),
                        revision(rs.getString("application"), rs.getString("event_type")), rs.getInt("attempts"),
                        rs.getTimestamp("lease_until")))
                .list();
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
                        RETURNING application_id, revision, application::text AS application, event_type, attempts, lease_until""")
                .param(lease.toMillis() + " milliseconds")
                .query((rs, n) -> new Claimed(rs.getObject("application_id", UUID.class), rs.getInt("revision"),
                        revision(rs.getString("application"), rs.getString("event_type")), rs.getInt("attempts"),
                        rs.getTimestamp("lease_until")))
                .list();
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
     * any whose claim was lost meanwhile.
     */
    List<Decided> decide(List<Decided> decided) {
        int[] updated = jdbcTemplate.batchUpdate("""
                        UPDATE checks SET state = ?, outcome = ?, reasons = ?::jsonb, facts = ?::jsonb, decided_by = ?,
                                          decided_at = ?, lease_until = NULL, last_error = NULL
                        WHERE application_id = ? AND revision = ? AND state = 'PENDING' AND lease_until = ?""",
                decided.stream().map(d -> new Object[] {d.verdict().outcome().isFinal() ? "DECIDED" : "REFERRED",
                        d.verdict().outcome().name(), json.writeValueAsString(d.verdict().reasons()),
                        json.writeValueAsString(flatten(d.facts())), decider(d.verdict()), Timestamp.from(d.verdict().decidedAt()),
                        d.check().applicationId(), d.check().revision(), d.check().leaseUntil()}).toList());
        List<Decided> recorded = new ArrayList<>(decided.size());
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] != 0) {
                recorded.add(decided.get(i));
            }
        }
        return recorded;
    }

    /** Parks a claimed check the registry could not answer for: it is due again after {@code delay}. */
    void park(Claimed check, Duration delay, String error) {
        jdbc.sql("""
                        UPDATE checks SET attempts = attempts + 1, next_attempt_at = now() + ?::interval, last_error = ?,
                                          lease_until = NULL
                        WHERE application_id = ? AND revision = ? AND state = 'PENDING' AND lease_until = ?""")
                .params(delay.toMillis() + " milliseconds", error.length() > 500 ? error.substring(0, 500) : error,
                        check.applicationId(), check.revision(), check.leaseUntil())
                .update();
    }

    /** Records a reviewer's final verdict on a referred check; false when it is not (or no longer) referred. */
    boolean decideReferral(VerdictIssued verdict) {
        return jdbc.sql("""
                        UPDATE checks SET state = 'DECIDED', outcome = ?, reasons = ?::jsonb, decided_by = ?, decided_at = ?
                        WHERE application_id = ? AND revision = ? AND state = 'REFERRED'""")
                .params(verdict.outcome().name(), json.writeValueAsString(verdict.reasons()), decider(verdict),
                        Timestamp.from(verdict.decidedAt()), verdict.applicationId(), verdict.revision())
                .update() == 1;
    }

    List<Case> referred(int limit) {
        return jdbc.sql(select() + " WHERE state = 'REFERRED' ORDER BY received_at LIMIT ?").param(limit).query(this::toCase).list();
    }

    Optional<Case> find(UUID applicationId, int revision) {
        return jdbc.sql(select() + " WHERE application_id = ? AND revision = ?").params(applicationId, revision)
                .query(this::toCase).optional();
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
                       facts::text AS facts, decided_by, decided_at, received_at FROM checks""";
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
                rs.getTimestamp("received_at").toInstant());
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
