package cn.eport.intake;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's timeline: appended to by intake's own actions and by what it reads from the
 * topics. Its status changes and verdicts go to the webhook subscribers from here.
 */
@Component
class Timeline {

    /** One entry: what happened, when, to which revision, and who did it. */
    record Entry(Instant at, String what, @Nullable Integer revision, String actor, Map<String, Object> detail) {
    }

    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final JsonMapper json;
    private final WebhookNotifications webhooks;

    Timeline(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json, WebhookNotifications webhooks) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.json = json;
        this.webhooks = webhooks;
    }

    void append(UUID applicationId, Entry entry) {
        appendAll(List.of(Map.entry(applicationId, entry)));
    }

    void appendAll(List<Map.Entry<UUID, Entry>> entries) {
        if (entries.isEmpty()) {
            return;
        }
        batch.batchUpdate("INSERT INTO timeline (application_id, at, what, revision, actor, detail) VALUES (?, ?, ?, ?, ?, ?::jsonb)",
                entries.stream().map(e -> new Object[] {e.getKey(), Timestamp.from(e.getValue().at()), e.getValue().what(),
                        e.getValue().revision(), e.getValue().actor(), json.writeValueAsString(e.getValue().detail())}).toList());
        // In the same transaction: what the timeline records, the subscribers are told.
        webhooks.announce(entries);
    }

    List<Entry> of(UUID applicationId) {
        return jdbc.sql("SELECT at, what, revision, actor, detail::text AS detail FROM timeline WHERE application_id = ? ORDER BY at, id")
                .param(applicationId)
                .query((rs, n) -> new Entry(rs.getTimestamp("at").toInstant(), rs.getString("what"),
                        (Integer) rs.getObject("revision"), rs.getString("actor"), json.readValue(rs.getString("detail"), DETAIL)))
                .list();
    }
}
