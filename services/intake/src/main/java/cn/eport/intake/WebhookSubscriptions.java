package cn.eport.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The webhook subscriptions, and each one's state of delivery: failing since when, next try, disabled and why. */
@Component
class WebhookSubscriptions {

    /** Whose changes a subscription gets. */
    enum Scope {
        /** An enterprise account's own applications. */
        OWN,
        /** Every application: an integrator. */
        ALL,
        /** One agency's verdicts: an integrator. */
        AGENCY
    }

    record Subscription(UUID id, String createdBy, Scope scope, @Nullable String owner, @Nullable String agency, String url,
            String secret, @Nullable String description, Instant createdAt, int failures, @Nullable Instant failingSince,
            @Nullable Instant disabledAt, @Nullable String disabledReason) {
    }

    /** How long the active subscriptions are read from memory: every change asks, at the rate of submissions. */
    static final java.time.Duration ACTIVE_FOR = java.time.Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private volatile @Nullable Active active;

    private record Active(long readAtNanos, List<Subscription> subscriptions) {
    }

    WebhookSubscriptions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void create(Subscription subscription) {
        jdbc.sql("""
                        INSERT INTO webhook_subscriptions (id, created_by, scope, owner, agency, url, secret, description, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(subscription.id(), subscription.createdBy(), subscription.scope().name(), subscription.owner(),
                        subscription.agency(), subscription.url(), subscription.secret(), subscription.description(),
                        Timestamp.from(subscription.createdAt()))
                .update();
        active = null;
    }

    Optional<Subscription> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(this::subscription).optional();
    }

    List<Subscription> of(String createdBy) {
        return jdbc.sql(SELECT + " WHERE created_by = ? ORDER BY created_at LIMIT 100").param(createdBy).query(this::subscription).list();
    }

    long countOf(String createdBy) {
        return jdbc.sql("SELECT count(*) FROM webhook_subscriptions WHERE created_by = ?").param(createdBy).query(Long.class).single();
    }

    /**
     * The subscriptions that are not disabled: what a change is matched against. Read at most once a
     * second ({@link #ACTIVE_FOR}) rather than once per change; this instance's own changes to them
     * are seen at once, another instance's within that second.
     */
    List<Subscription> active() {
        Active held = active;
        if (held == null || System.nanoTime() - held.readAtNanos() > ACTIVE_FOR.toNanos()) {
            held = new Active(System.nanoTime(), jdbc.sql(SELECT + " WHERE disabled_at IS NULL").query(this::subscription).list());
            active = held;
        }
        return held.subscriptions();
    }

    @org.springframework.transaction.annotation.Transactional
    public boolean delete(UUID id) {
        boolean deleted = jdbc.sql("DELETE FROM webhook_subscriptions WHERE id = ?").param(id).update() == 1;
        jdbc.sql("DELETE FROM webhook_deliveries WHERE subscription_id = ?").param(id).update();
        active = null;
        return deleted;
    }

    /** Its endpoint answered: deliver at once again. */
    void succeeded(UUID id) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions SET failures = 0, failing_since = NULL, next_attempt_at = '-infinity'
                        WHERE id = ? AND failures > 0""")
                .param(id).update();
    }

    /** Its endpoint failed again: nothing of it is tried before {@code nextAttempt}. */
    void failed(UUID id, Instant failingSince, Instant nextAttempt) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions SET failures = failures + 1, failing_since = coalesce(failing_since, ?),
                                                         next_attempt_at = ?
                        WHERE id = ?""")
                .params(Timestamp.from(failingSince), Timestamp.from(nextAttempt), id).update();
    }

    /** Stops delivering to it, saying why; what it had not received yet is dead-lettered, for a replay once it is enabled again. */
    void disable(UUID id, Instant at, String reason) {
        jdbc.sql("UPDATE webhook_subscriptions SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND disabled_at IS NULL")
                .params(Timestamp.from(at), reason.length() > 500 ? reason.substring(0, 500) : reason, id).update();
        jdbc.sql("""
                        UPDATE webhook_deliveries SET state = 'DEAD', last_error = coalesce(last_error, 'the subscription was disabled')
                        WHERE subscription_id = ? AND state = 'PENDING'""")
                .param(id).update();
        active = null;
    }

    void enable(UUID id) {
        jdbc.sql("""
                        UPDATE webhook_subscriptions SET disabled_at = NULL, disabled_reason = NULL, failures = 0, failing_since = NULL,
                                                         next_attempt_at = '-infinity'
                        WHERE id = ?""")
                .param(id).update();
        active = null;
    }

    private static final String SELECT = """
            SELECT id, created_by, scope, owner, agency, url, secret, description, created_at, failures, failing_since, disabled_at,
                   disabled_reason
            FROM webhook_subscriptions""";

    private Subscription subscription(ResultSet rs, int row) throws SQLException {
        return new Subscription(rs.getObject("id", UUID.class), rs.getString("created_by"), Scope.valueOf(rs.getString("scope")),
                rs.getString("owner"), rs.getString("agency"), rs.getString("url"), rs.getString("secret"),
                rs.getString("description"), rs.getTimestamp("created_at").toInstant(), rs.getInt("failures"),
                instant(rs, "failing_since"), instant(rs, "disabled_at"), rs.getString("disabled_reason"));
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
