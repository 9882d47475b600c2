package cn.eport.intake;

import cn.eport.identifiers.ResidentIdNumber;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an application's changes into webhook messages for the subscriptions that want them, in the
 * transaction that records the change: a change committed is a change delivered (at least once), a
 * change rolled back was never announced. Each message gets the application's next sequence number
 * and the application's status as of that moment; it is stored once, with one delivery row per
 * subscriber. With no subscription nothing is written, so intake pays for webhooks only when used.
 */
@Component
class WebhookNotifications {

    /** The CloudEvents type of every webhook message. */
    static final String TYPE = cn.eport.contracts.WebhookMessages.APPLICATION_CHANGED;

    /** The timeline's entries that are status changes or verdicts; processing problems and reads are not announced. */
    static final Set<String> ANNOUNCED = Set.of("SUBMITTED", "AMENDED", "RELEASED", "WITHDRAWN", "VERDICT", "TELECOM_REGISTERED",
            "CARDS_ISSUED", "APPROVAL_WITHDRAWN", "CARDS_SUSPENDED", "CARDS_REINSTATED", "CARD_SET_CANCELLED");

    /** What of an entry's detail a message carries: nothing personal. */
    private static final Set<String> DETAIL_SHOWN = Set.of("agency", "outcome", "reasons", "cards", "channel");

    private final WebhookSubscriptions subscriptions;
    private final StatusView statuses;
    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;
    private final Clock clock;

    WebhookNotifications(WebhookSubscriptions subscriptions, StatusView statuses, JdbcClient jdbc, JdbcTemplate batch, JsonMapper json,
            Clock clock) {
        this.subscriptions = subscriptions;
        this.statuses = statuses;
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.clock = clock;
    }

    void announce(List<Map.Entry<UUID, Timeline.Entry>> entries) {
        List<Map.Entry<UUID, Timeline.Entry>> announced = entries.stream().filter(e -> ANNOUNCED.contains(e.getValue().what())).toList();
        if (announced.isEmpty()) {
            return;
        }
        List<WebhookSubscriptions.Subscription> active = subscriptions.active();
        if (active.isEmpty()) {
            return;
        }
        Map<UUID, String> owners = owners(announced);
        Map<UUID, String> statusNow = new HashMap<>();
        List<Object[]> messages = new ArrayList<>();
        List<Object[]> deliveries = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<UUID, Timeline.Entry> change : announced) {
            UUID applicationId = change.getKey();
            List<WebhookSubscriptions.Subscription> wanting = active.stream()
                    .filter(s -> wants(s, owners.get(applicationId), change.getValue())).toList();
            if (wanting.isEmpty()) {
                continue;
            }
            long sequence = nextSequence(applicationId);
            String status = statusNow.computeIfAbsent(applicationId,
                    id -> statuses.statusOf(id).map(s -> s.status().name()).orElse("UNKNOWN"));
            String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
            messages.add(new Object[] {applicationId, sequence, messageId, body(messageId, applicationId, sequence, status, change.getValue()),
                    Timestamp.from(now)});
            wanting.forEach(s -> deliveries.add(new Object[] {s.id(), applicationId, sequence}));
        }
        if (messages.isEmpty()) {
            return;
        }
        batch.batchUpdate("INSERT INTO webhook_messages (application_id, sequence, message_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
                messages);
        batch.batchUpdate("INSERT INTO webhook_deliveries (subscription_id, application_id, sequence, state) VALUES (?, ?, ?, 'PENDING')",
                deliveries);
    }

    private static boolean wants(WebhookSubscriptions.Subscription subscription, String owner, Timeline.Entry change) {
        return switch (subscription.scope()) {
            case OWN -> subscription.owner() != null && subscription.owner().equals(owner);
            case ALL -> true;
            case AGENCY -> "VERDICT".equals(change.what()) && subscription.agency() != null
                    && subscription.agency().equalsIgnoreCase(String.valueOf(change.detail().get("agency")));
        };
    }

    private Map<UUID, String> owners(List<Map.Entry<UUID, Timeline.Entry>> changes) {
        Map<UUID, String> owners = new HashMap<>();
        jdbc.sql("SELECT id, owner FROM applications WHERE id = ANY(?::uuid[])")
                .param(changes.stream().map(e -> e.getKey().toString()).distinct().toArray(String[]::new))
                .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("owner")))
                .list().forEach(e -> owners.put(e.getKey(), e.getValue()));
        return owners;
    }

    /** The application's next number: one row per application, locked for the rest of the transaction, so numbers follow commit order. */
    private long nextSequence(UUID applicationId) {
        return jdbc.sql("""
                        INSERT INTO application_sequences (application_id, last_sequence) VALUES (?, 1)
                        ON CONFLICT (application_id) DO UPDATE SET last_sequence = application_sequences.last_sequence + 1
                        RETURNING last_sequence""")
                .param(applicationId).query(Long.class).single();
    }

    /** The CloudEvents 1.0 body, structured mode; {@code sequence} is CloudEvents' own extension attribute (a string). */
    private String body(String messageId, UUID applicationId, long sequence, String status, Timeline.Entry change) {
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("what", change.what());
        what.put("at", change.at().toString());
        if (change.revision() != null) {
            what.put("revision", change.revision());
        }
        change.detail().forEach((key, value) -> {
            if (DETAIL_SHOWN.contains(key)) {
                what.put(key, value instanceof String text ? ResidentIdNumber.maskedWithin(text) : value);
            }
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("applicationId", applicationId.toString());
        data.put("sequence", sequence);
        data.put("status", status);
        data.put("change", what);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", messageId);
        event.put("source", "/eport/intake");
        event.put("type", TYPE);
        event.put("subject", applicationId.toString());
        event.put("time", change.at().toString());
        event.put("sequence", Long.toString(sequence));
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return json.writeValueAsString(event);
    }
}
