package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The snapshot's funnel and agency counts, kept as the events arrive so that reading them costs the
 * same whatever the history: a row of funnel counts, a row per agency, and the pending checks (each
 * agency's undecided current revisions, indexed by when they were submitted, for the oldest).
 *
 * <p>Every count is a sum over applications of what each application adds to it, and everything an
 * application adds is found by its id. So the projection recounts only the applications a batch
 * touches: what they add before its writes and after, in its transaction, and adds the difference.
 * The counts equal the aggregates over the whole read model by construction, whatever the order,
 * duplicates or conflicts of the events, because those rules live in the read model's rows and the
 * recount reads those rows. Two transactions touching one application (instances sharing the schema,
 * each reading other topics) take it in turns: each locks its applications first, in one order.
 */
@Component
class RunningCounts {

    private static final String[] AGENCIES = Arrays.stream(Agency.values()).map(Agency::name).toArray(String[]::new);

    private final JdbcClient jdbc;

    RunningCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Applications from submission to cards.
     *
     * @see Snapshot.Funnel
     */
    record Funnel(long submitted, long approvedByAll, long telecomRegistered, long cardsIssued, long withdrawn) {

        static final Funnel NONE = new Funnel(0, 0, 0, 0, 0);

        Funnel minus(Funnel other) {
            return new Funnel(submitted - other.submitted, approvedByAll - other.approvedByAll,
                    telecomRegistered - other.telecomRegistered, cardsIssued - other.cardsIssued, withdrawn - other.withdrawn);
        }
    }

    /**
     * One agency's counts.
     *
     * @see Snapshot.Funnel#decided()
     * @see Snapshot.AgencyRow
     */
    record ForAgency(long decided, long approved, long rejected, long referred, long reviewQueue, long pending) {

        static final ForAgency NONE = new ForAgency(0, 0, 0, 0, 0, 0);

        ForAgency minus(ForAgency other) {
            return new ForAgency(decided - other.decided, approved - other.approved, rejected - other.rejected,
                    referred - other.referred, reviewQueue - other.reviewQueue, pending - other.pending);
        }
    }

    /** What some applications add to the counts. */
    private record Tally(Funnel funnel, Map<Agency, ForAgency> agencies) {
    }

    /**
     * Starts recounting {@code applications}, inside the transaction that is about to change their
     * rows: locks them, then reads what they add to the counts now. Call {@link Recount#finish()}
     * after the changes, in the same transaction.
     */
    Recount recount(Collection<UUID> applications) {
        String[] ids = applications.stream().distinct().map(UUID::toString).toArray(String[]::new);
        if (ids.length > 0) {
            // Ordered by the lock key itself, so two transactions never wait for each other in a circle.
            Integer[] keys = applications.stream().map(UUID::hashCode).distinct().sorted().toArray(Integer[]::new);
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext(current_schema()), k) FROM unnest(CAST(:keys AS integer[])) AS l(k)")
                    .param("keys", keys).query((rs, n) -> n).list();
        }
        return new Recount(ids, tally(ids));
    }

    /** A recount under way; see {@link #recount(Collection)}. */
    final class Recount {

        private final String[] ids;
        private final Tally before;

        private Recount(String[] ids, Tally before) {
            this.ids = ids;
            this.before = before;
        }

        /** After the applications' rows changed: brings their pending checks up to date and adds the difference to the counts. */
        void finish() {
            if (ids.length == 0) {
                return;
            }
            updatePendingChecks(ids);
            Tally after = tally(ids);
            Funnel funnel = after.funnel().minus(before.funnel());
            if (!funnel.equals(Funnel.NONE)) {
                jdbc.sql("""
                        INSERT INTO funnel_counts AS f (submitted, approved_by_all, telecom_registered, cards_issued, withdrawn)
                        VALUES (:submitted, :approvedByAll, :telecomRegistered, :cardsIssued, :withdrawn)
                        ON CONFLICT (only_row) DO UPDATE
                        SET submitted = f.submitted + excluded.submitted, approved_by_all = f.approved_by_all + excluded.approved_by_all,
                            telecom_registered = f.telecom_registered + excluded.telecom_registered,
                            cards_issued = f.cards_issued + excluded.cards_issued, withdrawn = f.withdrawn + excluded.withdrawn""")
                        .param("submitted", funnel.submitted()).param("approvedByAll", funnel.approvedByAll())
                        .param("telecomRegistered", funnel.telecomRegistered()).param("cardsIssued", funnel.cardsIssued())
                        .param("withdrawn", funnel.withdrawn()).update();
            }
            // One agency after another in one order, as every transaction does: rows locked in one order wait in no circle.
            for (Agency agency : Agency.values()) {
                ForAgency change = after.agencies().getOrDefault(agency, ForAgency.NONE)
                        .minus(before.agencies().getOrDefault(agency, ForAgency.NONE));
                if (!change.equals(ForAgency.NONE)) {
                    jdbc.sql("""
                            INSERT INTO agency_counts AS c (agency, decided, approved, rejected, referred, review_queue, pending)
                            VALUES (:agency, :decided, :approved, :rejected, :referred, :reviewQueue, :pending)
                            ON CONFLICT (agency) DO UPDATE
                            SET decided = c.decided + excluded.decided, approved = c.approved + excluded.approved,
                                rejected = c.rejected + excluded.rejected, referred = c.referred + excluded.referred,
                                review_queue = c.review_queue + excluded.review_queue, pending = c.pending + excluded.pending""")
                            .param("agency", agency.name()).param("decided", change.decided()).param("approved", change.approved())
                            .param("rejected", change.rejected()).param("referred", change.referred())
                            .param("reviewQueue", change.reviewQueue()).param("pending", change.pending()).update();
                }
            }
        }
    }

    /** The funnel's counts now. */
    Funnel funnel() {
        return jdbc.sql("SELECT submitted, approved_by_all, telecom_registered, cards_issued, withdrawn FROM funnel_counts")
                .query(Funnel.class).optional().orElse(Funnel.NONE);
    }

    /** Each agency's counts now. */
    Map<Agency, ForAgency> agencies() {
        Map<Agency, ForAgency> counts = new EnumMap<>(Agency.class);
        jdbc.sql("SELECT agency, decided, approved, rejected, referred, review_queue, pending FROM agency_counts")
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), new ForAgency(rs.getLong("decided"),
                        rs.getLong("approved"), rs.getLong("rejected"), rs.getLong("referred"), rs.getLong("review_queue"),
                        rs.getLong("pending"))))
                .list().forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    /** When each agency's oldest pending check was submitted, for the agencies with any: one index entry each. */
    Map<Agency, Instant> oldestPending() {
        Map<Agency, Instant> oldest = new EnumMap<>(Agency.class);
        jdbc.sql("""
                SELECT g.agency, p.submitted_at FROM unnest(CAST(:agencies AS text[])) AS g(agency)
                CROSS JOIN LATERAL (SELECT p.submitted_at FROM pending_checks p WHERE p.agency = g.agency
                                    ORDER BY p.submitted_at LIMIT 1) AS p""")
                .param("agencies", AGENCIES)
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), rs.getTimestamp("submitted_at").toInstant()))
                .list().forEach(e -> oldest.put(e.getKey(), e.getValue()));
        return oldest;
    }

    /**
     * What these applications add to the counts: the aggregates the snapshot once ran over the whole
     * read model, over these applications' rows only (each found through its primary key).
     */
    private Tally tally(String[] ids) {
        if (ids.length == 0) {
            return new Tally(Funnel.NONE, Map.of());
        }
        Funnel funnel = jdbc.sql("""
                SELECT (SELECT count(*) FROM applications WHERE application_id = ANY(CAST(:ids AS uuid[]))) AS submitted,
                       (SELECT count(*) FROM applications a WHERE a.application_id = ANY(CAST(:ids AS uuid[]))
                            AND (SELECT count(*) FROM agency_verdicts v WHERE v.application_id = a.application_id
                                 AND v.revision = a.revision AND v.outcome = 'APPROVED') = :agencyCount) AS approved_by_all,
                       (SELECT count(*) FROM telecom_registrations WHERE application_id = ANY(CAST(:ids AS uuid[]))) AS telecom_registered,
                       (SELECT count(*) FROM card_sets WHERE application_id = ANY(CAST(:ids AS uuid[]))) AS cards_issued,
                       (SELECT count(*) FROM withdrawals WHERE application_id = ANY(CAST(:ids AS uuid[]))) AS withdrawn""")
                .param("ids", ids).param("agencyCount", AGENCIES.length).query(Funnel.class).single();
        Map<Agency, Long> pending = new EnumMap<>(Agency.class);
        jdbc.sql("SELECT agency, count(*) AS n FROM pending_checks WHERE application_id = ANY(CAST(:ids AS uuid[])) GROUP BY agency")
                .param("ids", ids)
                .query((rs, n) -> Map.entry(Agency.valueOf(rs.getString("agency")), rs.getLong("n")))
                .list().forEach(e -> pending.put(e.getKey(), e.getValue()));
        Map<Agency, ForAgency> agencies = new EnumMap<>(Agency.class);
        // A referral is in the review queue until its reviewer decides, unless the application was amended
        // since or withdrawn: the agency stops those checks (a referral of an application not seen yet counts).
        jdbc.sql("""
                SELECT v.agency, count(*) FILTER (WHERE v.outcome <> 'REFERRED' AND v.revision = a.revision) AS decided,
                       count(*) FILTER (WHERE v.outcome = 'APPROVED') AS approved,
                       count(*) FILTER (WHERE v.outcome = 'REJECTED') AS rejected,
                       count(*) FILTER (WHERE v.referred_at IS NOT NULL) AS referred,
                       count(*) FILTER (WHERE v.outcome = 'REFERRED' AND w.application_id IS NULL
                                        AND (a.application_id IS NULL OR a.revision = v.revision)) AS review_queue
                FROM agency_verdicts v
                LEFT JOIN applications a ON a.application_id = v.application_id
                LEFT JOIN withdrawals w ON w.application_id = v.application_id
                WHERE v.application_id = ANY(CAST(:ids AS uuid[]))
                GROUP BY v.agency""")
                .param("ids", ids)
                .query((rs, n) -> {
                    Agency agency = Agency.valueOf(rs.getString("agency"));
                    return Map.entry(agency, new ForAgency(rs.getLong("decided"), rs.getLong("approved"), rs.getLong("rejected"),
                            rs.getLong("referred"), rs.getLong("review_queue"), pending.getOrDefault(agency, 0L)));
                })
                .list().forEach(e -> agencies.put(e.getKey(), e.getValue()));
        pending.forEach((agency, n) -> agencies.putIfAbsent(agency, new ForAgency(0, 0, 0, 0, 0, n)));
        return new Tally(funnel, agencies);
    }

    /**
     * A pending check is an agency's on the current revision of an application not withdrawn, which it
     * has given no verdict on yet; since that revision was submitted.
     */
    private void updatePendingChecks(String[] ids) {
        jdbc.sql("""
                DELETE FROM pending_checks p WHERE p.application_id = ANY(CAST(:ids AS uuid[])) AND NOT EXISTS (
                    SELECT 1 FROM applications a WHERE a.application_id = p.application_id
                    AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.application_id = a.application_id)
                    AND NOT EXISTS (SELECT 1 FROM agency_verdicts v WHERE v.application_id = a.application_id
                                    AND v.revision = a.revision AND v.agency = p.agency))""")
                .param("ids", ids).update();
        jdbc.sql("""
                INSERT INTO pending_checks AS p (application_id, agency, submitted_at)
                SELECT a.application_id, g.agency, a.submitted_at
                FROM applications a CROSS JOIN unnest(CAST(:agencies AS text[])) AS g(agency)
                WHERE a.application_id = ANY(CAST(:ids AS uuid[]))
                  AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.application_id = a.application_id)
                  AND NOT EXISTS (SELECT 1 FROM agency_verdicts v WHERE v.application_id = a.application_id
                                  AND v.revision = a.revision AND v.agency = g.agency)
                ON CONFLICT (application_id, agency) DO UPDATE SET submitted_at = excluded.submitted_at
                WHERE p.submitted_at <> excluded.submitted_at""")
                .param("ids", ids).param("agencies", AGENCIES).update();
    }
}
