package cn.eport.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import cn.eport.identifiers.ResidentIdNumber;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * This service's quarantined records: kept whole in its own schema, announced on its dead-letter
 * topic (kind {@code QUARANTINED}, with the reason, the exception class, a stack hash and the
 * application id), and replayed through the {@link EventConsumer} once ops have fixed the cause.
 */
public final class Quarantine {

    /** A quarantined record as ops see it; the value itself stays in the database. */
    public record Entry(String eventKey, String binding, @Nullable String applicationId, String topic, int partition,
            long offset, String reason, String exceptionClass, String stackHash, int attempts, Instant quarantinedAt,
            @Nullable Instant replayedAt, int replayAttempts, @Nullable String lastReplayError) {
    }

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };
    private static final int MAX_REASON_CHARS = 500;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Outbox outbox;

    Quarantine(JdbcClient jdbc, JsonMapper json, Outbox outbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
    }

    /**
     * Sets the record aside, inside the caller's transaction. Returns false when it was quarantined
     * already (a redelivered copy of a record that fails the same way).
     */
    boolean put(String binding, IncomingRecord record, String eventKey, @Nullable String applicationId, RuntimeException failure,
            int attempts) {
        String reason = reasonFor(failure);
        String exceptionClass = NestedExceptionUtils.getMostSpecificCause(failure).getClass().getName();
        String stackHash = stackHash(failure);
        int inserted = jdbc.sql("""
                        INSERT INTO quarantine (event_key, binding, application_id, topic, kafka_partition, record_offset, record_key,
                                                headers, payload, reason, exception_class, stack_hash, attempts)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING""")
                .params(eventKey, binding, applicationId, record.topic(), record.partition(), record.offset(), record.key(),
                        json.writeValueAsString(record.headers()), record.value(), reason, exceptionClass, stackHash, attempts)
                .update();
        if (inserted == 0) {
            return false;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.DLT_KIND, CloudEventHeaders.DLT_KIND_QUARANTINED);
        headers.put(CloudEventHeaders.DLT_EXCEPTION, exceptionClass);
        headers.put(CloudEventHeaders.DLT_STACK_HASH, stackHash);
        headers.put(CloudEventHeaders.DLT_EVENT_KEY, eventKey);
        headers.put(CloudEventHeaders.DLT_ATTEMPTS, Integer.toString(attempts));
        if (applicationId != null) {
            headers.put(CloudEventHeaders.DLT_APPLICATION_ID, applicationId);
        }
        outbox.deadLetter(record, reason, headers);
        return true;
    }

    /** The records quarantined and not yet replayed, oldest first, or all of them. */
    public List<Entry> entries(boolean openOnly, int limit) {
        return jdbc.sql("""
                        SELECT event_key, binding, application_id, topic, kafka_partition, record_offset, reason, exception_class,
                               stack_hash, attempts, quarantined_at, replayed_at, replay_attempts, last_replay_error
                        FROM quarantine WHERE NOT ? OR replayed_at IS NULL ORDER BY quarantined_at, event_key LIMIT ?""")
                .params(openOnly, limit)
                .query((rs, n) -> new Entry(rs.getString("event_key"), rs.getString("binding"), rs.getString("application_id"),
                        rs.getString("topic"), rs.getInt("kafka_partition"), rs.getLong("record_offset"), rs.getString("reason"),
                        rs.getString("exception_class"), rs.getString("stack_hash"), rs.getInt("attempts"),
                        rs.getTimestamp("quarantined_at").toInstant(),
                        rs.getTimestamp("replayed_at") == null ? null : rs.getTimestamp("replayed_at").toInstant(),
                        rs.getInt("replay_attempts"), rs.getString("last_replay_error")))
                .list();
    }

    /** A record waiting for replay, locked for the caller's transaction, with the binding that handles it. */
    Optional<Held> hold(String eventKey) {
        return jdbc.sql("""
                        SELECT binding, application_id, topic, kafka_partition, record_offset, record_key, headers::text AS headers, payload
                        FROM quarantine WHERE event_key = ? AND replayed_at IS NULL FOR UPDATE SKIP LOCKED""")
                .param(eventKey)
                .query((rs, n) -> new Held(eventKey, rs.getString("binding"), rs.getString("application_id"),
                        new IncomingRecord(rs.getString("topic"), rs.getInt("kafka_partition"), rs.getLong("record_offset"),
                                rs.getString("record_key"), json.readValue(rs.getString("headers"), HEADERS), rs.getBytes("payload"))))
                .optional();
    }

    record Held(String eventKey, String binding, @Nullable String applicationId, IncomingRecord record) {
    }

    /** Inside the replay's transaction: the record was handled (or found handled already). */
    void released(Held held) {
        jdbc.sql("UPDATE quarantine SET replayed_at = ?, replay_attempts = replay_attempts + 1, last_replay_error = NULL WHERE event_key = ?")
                .params(Timestamp.from(Instant.now()), held.eventKey()).update();
        outbox.replayed(held.eventKey(), held.applicationId());
    }

    /** In a transaction of its own: the replay failed, the record stays quarantined. */
    void replayFailed(String eventKey, RuntimeException failure) {
        jdbc.sql("UPDATE quarantine SET replay_attempts = replay_attempts + 1, last_replay_error = ? WHERE event_key = ?")
                .params(reasonFor(failure), eventKey).update();
    }

    /** The keys of every record still quarantined, oldest first. */
    List<String> openKeys(int limit) {
        return jdbc.sql("SELECT event_key FROM quarantine WHERE replayed_at IS NULL ORDER BY quarantined_at, event_key LIMIT ?")
                .param(limit).query(String.class).list();
    }

    /** One line: the root cause's class and message, personal ID numbers masked, bounded. */
    static String reasonFor(Throwable failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        // An exception's message may quote a personal ID number whole.
        text = ResidentIdNumber.maskedWithin(text.replaceAll("\\s+", " "));
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /**
     * Twelve hex digits of SHA-256 over the root cause's class and its first frames (class and
     * method, no line numbers): the same failure in the same place gives the same hash across
     * records, instances and builds that did not touch that code.
     */
    static String stackHash(Throwable failure) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
        StringBuilder text = new StringBuilder(root.getClass().getName());
        StackTraceElement[] frames = root.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 12); i++) {
            text.append('|').append(frames[i].getClassName()).append('.').append(frames[i].getMethodName());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Where the root cause was thrown: its first frames, without any message. */
    static String frames(Throwable failure) {
        StackTraceElement[] frames = NestedExceptionUtils.getMostSpecificCause(failure).getStackTrace();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(frames.length, 8); i++) {
            text.append(i == 0 ? "" : " < ").append(frames[i].getClassName()).append('.').append(frames[i].getMethodName())
                    .append(':').append(frames[i].getLineNumber());
        }
        return text.toString();
    }

}
