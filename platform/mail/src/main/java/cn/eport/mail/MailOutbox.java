package cn.eport.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code mail_outbox} table: what is queued, claimed, sent, retried and given up. */
final class MailOutbox {

    /** A claimed mail, to be sent now. */
    record Queued(long id, UUID applicationId, String recipient, String subject, String body, int attempts, Instant createdAt) {
    }

    private static final int MAX_ERROR_LENGTH = 2000;

    private final JdbcClient jdbc;

    MailOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues a mail unless one with its key is queued already; returns whether it queued it. */
    boolean queue(String dedupeKey, UUID applicationId, String recipient, String subject, String body) {
        return jdbc.sql("""
                        INSERT INTO mail_outbox (dedupe_key, application_id, recipient, subject, body)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (dedupe_key) DO NOTHING""")
                .params(dedupeKey, applicationId, recipient, subject, body)
                .update() == 1;
    }

    /**
     * Claims up to {@code limit} due mails that no other sender holds. The lease is the next attempt
     * moved past it: a sender that dies mid-round leaves its mails due again once the lease runs out.
     */
    List<Queued> claimDue(int limit, Duration lease) {
        return jdbc.sql("""
                        UPDATE mail_outbox SET next_attempt_at = now() + ?::interval
                        WHERE id IN (
                            SELECT id FROM mail_outbox
                            WHERE state = 'PENDING' AND next_attempt_at <= now()
                            ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING id, application_id, recipient, subject, body, attempts, created_at""")
                .params(interval(lease), limit)
                .query((rs, n) -> new Queued(rs.getLong("id"), rs.getObject("application_id", UUID.class), rs.getString("recipient"),
                        rs.getString("subject"), rs.getString("body"), rs.getInt("attempts"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    void sent(long id) {
        jdbc.sql("""
                        UPDATE mail_outbox SET state = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = NULL
                        WHERE id = ? AND state = 'PENDING'""")
                .param(id).update();
    }

    /**
     * Records a failed attempt: the mail is due again after {@code retryIn}, or FAILED once it was
     * queued longer than {@code giveUpAfter} ago. Returns whether it was given up.
     */
    boolean failed(long id, String error, Duration retryIn, Duration giveUpAfter) {
        String state = jdbc.sql("""
                        UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = now() + ?::interval,
                            state = CASE WHEN created_at <= now() - ?::interval THEN 'FAILED' ELSE 'PENDING' END
                        WHERE id = ? AND state = 'PENDING'
                        RETURNING state""")
                .params(error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error,
                        interval(retryIn), interval(giveUpAfter), id)
                .query(String.class).optional().orElse("PENDING");
        return state.equals("FAILED");
    }

    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }
}
