package cn.eport.intake;

import cn.eport.messaging.LoopingWorker;
import cn.eport.webhooks.DeliveryAttempt;
import cn.eport.webhooks.RetrySchedule;
import cn.eport.webhooks.WebhookSender;
import cn.eport.webhooks.WebhookSigner;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sends the pending webhook deliveries. For each subscriber and application only the lowest pending
 * sequence number is ever sent, so a subscriber receives one application's changes in order and
 * without gaps, however long its endpoint was down. A failure holds back the whole subscription:
 * nothing of it is tried again before its next attempt, which backs off with full jitter (by default
 * from 5 s, doubling to an hour between tries); after 24 hours of failures the subscription is disabled with its reason and
 * what it had not received is dead-lettered, to be replayed once it is enabled again. Each delivery is
 * claimed under a lease, so dispatchers of several intake instances never send one twice at once;
 * no transaction is held open over an HTTP call.
 */
final class WebhookDispatcher extends LoopingWorker {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final JdbcClient jdbc;
    private final WebhookSubscriptions subscriptions;
    private final WebhookSender sender;
    private final Clock clock;
    private final IntakeSettings.Webhooks settings;
    private final MeterRegistry meters;
    private final RetrySchedule schedule;
    private final RandomGenerator random = RandomGenerator.getDefault();

    WebhookDispatcher(JdbcClient jdbc, WebhookSubscriptions subscriptions, WebhookSender sender, Clock clock,
            IntakeSettings.Webhooks settings, MeterRegistry meters) {
        super("intake-webhooks", settings.batchSize(), settings.pollInterval(), WORKER_PHASE);
        this.jdbc = jdbc;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.clock = clock;
        this.settings = settings;
        this.meters = meters;
        this.schedule = settings.retrySchedule();
    }

    /** A claimed delivery, with what it takes to send it. */
    private record Due(UUID subscriptionId, UUID applicationId, long sequence, Instant firstAttemptAt, String messageId, String body,
            String url, String secret, int failures, @Nullable Instant failingSince) {
    }

    /** One round: the head delivery of each (subscription, application) that is due, sent in turn; returns how many were claimed. */
    int deliverDue() {
        Instant now = clock.instant();
        List<Due> due = claim(now);
        Set<UUID> heldBack = new HashSet<>();
        for (Due delivery : due) {
            if (heldBack.contains(delivery.subscriptionId())) {
                release(delivery);
                continue;
            }
            DeliveryAttempt attempt = sender.send(URI.create(delivery.url()), delivery.messageId(), delivery.body(),
                    new WebhookSigner(delivery.secret()));
            meters.counter("eport.webhooks.attempts", "outcome", attempt.outcome().name()).increment();
            if (attempt.succeeded()) {
                delivered(delivery, attempt);
            } else {
                heldBack.add(delivery.subscriptionId());
                failed(delivery, attempt);
            }
        }
        return due.size();
    }

    private List<Due> claim(Instant now) {
        Timestamp at = Timestamp.from(now);
        return jdbc.sql("""
                        WITH heads AS (
                            SELECT DISTINCT ON (d.subscription_id, d.application_id) d.subscription_id, d.application_id, d.sequence,
                                   d.lease_until
                            FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                            WHERE d.state = 'PENDING' AND s.disabled_at IS NULL AND s.next_attempt_at <= ?
                            ORDER BY d.subscription_id, d.application_id, d.sequence),
                        due AS (
                            SELECT subscription_id, application_id, sequence FROM heads
                            WHERE lease_until IS NULL OR lease_until < ?
                            ORDER BY subscription_id, application_id LIMIT ?)
                        UPDATE webhook_deliveries d SET lease_until = ?, first_attempt_at = coalesce(d.first_attempt_at, ?)
                        FROM due, webhook_messages m, webhook_subscriptions s
                        WHERE d.subscription_id = due.subscription_id AND d.application_id = due.application_id
                          AND d.sequence = due.sequence AND d.state = 'PENDING' AND (d.lease_until IS NULL OR d.lease_until < ?)
                          AND m.application_id = d.application_id AND m.sequence = d.sequence AND s.id = d.subscription_id
                        RETURNING d.subscription_id, d.application_id, d.sequence, d.first_attempt_at, m.message_id, m.body, s.url,
                                  s.secret, s.failures, s.failing_since""")
                .params(at, at, settings.batchSize(), Timestamp.from(now.plus(settings.lease())), at, at)
                .query((rs, n) -> new Due(rs.getObject("subscription_id", UUID.class), rs.getObject("application_id", UUID.class),
                        rs.getLong("sequence"), rs.getTimestamp("first_attempt_at").toInstant(), rs.getString("message_id"),
                        rs.getString("body"), rs.getString("url"), rs.getString("secret"), rs.getInt("failures"),
                        WebhookSubscriptions.instant(rs, "failing_since")))
                .list().stream()
                .sorted(java.util.Comparator.comparing(Due::subscriptionId).thenComparing(Due::applicationId))
                .toList();
    }

    private void release(Due delivery) {
        jdbc.sql("UPDATE webhook_deliveries SET lease_until = NULL WHERE subscription_id = ? AND application_id = ? AND sequence = ?")
                .params(delivery.subscriptionId(), delivery.applicationId(), delivery.sequence()).update();
    }

    private void delivered(Due delivery, DeliveryAttempt attempt) {
        Instant now = clock.instant();
        jdbc.sql("""
                        UPDATE webhook_deliveries SET state = 'DELIVERED', attempts = attempts + 1, last_attempt_at = ?, last_status = ?,
                                                      last_error = NULL, delivered_at = ?, lease_until = NULL
                        WHERE subscription_id = ? AND application_id = ? AND sequence = ?""")
                .params(Timestamp.from(now), attempt.httpStatus(), Timestamp.from(now), delivery.subscriptionId(),
                        delivery.applicationId(), delivery.sequence())
                .update();
        subscriptions.succeeded(delivery.subscriptionId());
    }

    private void failed(Due delivery, DeliveryAttempt attempt) {
        Instant now = clock.instant();
        String error = attempt.detail().length() > 500 ? attempt.detail().substring(0, 500) : attempt.detail();
        boolean refused = attempt.outcome() == DeliveryAttempt.Outcome.REFUSED_BY_POLICY;
        boolean expired = !delivery.firstAttemptAt().plus(schedule.giveUpAfter()).isAfter(now);
        jdbc.sql("""
                        UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_attempt_at = ?, last_status = ?,
                                                      last_error = ?, lease_until = NULL
                        WHERE subscription_id = ? AND application_id = ? AND sequence = ?""")
                .params(refused || expired ? "DEAD" : "PENDING", Timestamp.from(now), attempt.httpStatus() == 0 ? null : attempt.httpStatus(),
                        error, delivery.subscriptionId(), delivery.applicationId(), delivery.sequence())
                .update();
        if (refused) {
            disable(delivery, now, "its endpoint was refused: " + error);
            return;
        }
        Instant failingSince = delivery.failingSince() == null ? now : delivery.failingSince();
        Optional<Instant> next = schedule.nextAttempt(delivery.failures() + 1, failingSince, now, random);
        if (next.isEmpty()) {
            disable(delivery, now, "its endpoint has failed since " + failingSince + ", " + schedule.giveUpAfter().toString()
                    .substring(2).toLowerCase(java.util.Locale.ROOT) + " of retries; last: " + error);
            return;
        }
        subscriptions.failed(delivery.subscriptionId(), failingSince, next.get());
        log.atInfo().addKeyValue("applicationId", delivery.applicationId())
                .log("Webhook {} to subscription {} failed ({}); its next try at {}", delivery.messageId(), delivery.subscriptionId(),
                        error, next.get());
    }

    private void disable(Due delivery, Instant now, String reason) {
        subscriptions.disable(delivery.subscriptionId(), now, reason);
        meters.counter("eport.webhooks.disabled").increment();
        log.warn("Webhook subscription {} disabled: {}", delivery.subscriptionId(), reason);
    }

    @Override
    protected int round() {
        return deliverDue();
    }
}
