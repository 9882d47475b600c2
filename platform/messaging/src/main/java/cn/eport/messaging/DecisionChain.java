package cn.eport.messaging;

import cn.eport.contracts.DecisionLog;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Appends the events a transaction publishes to this service's decision log (table
 * {@code decision_log}), chained as {@link DecisionLog} defines. Called by the {@link Outbox} just before
 * the transaction commits, after its outbox rows: the head row is locked only from here to the commit,
 * and every publishing transaction takes that one lock last, so entries chain in commit order and no
 * two transactions wait on each other in a cycle.
 */
final class DecisionChain {

    private static final String INSERT = "INSERT INTO decision_log (seq, application_id, topic, record_key, headers, payload,"
            + " content_hash, entry_hash, recorded_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)";

    /** One published record, as the relay will send it. */
    record Published(String topic, String key, Map<String, String> headers, String headersJson, byte[] value) {
    }

    private record Head(long seq, byte[] hash) {
    }

    private final JdbcTemplate jdbc;

    DecisionChain(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void append(List<Published> records) {
        Head head = jdbc.queryForObject("SELECT seq, entry_hash FROM decision_log_head FOR UPDATE",
                (row, i) -> new Head(row.getLong(1), row.getBytes(2)));
        long seq = head.seq();
        byte[] previous = head.hash();
        List<Object[]> rows = new ArrayList<>(records.size());
        for (Published record : records) {
            seq++;
            byte[] content = DecisionLog.contentHash(record.topic(), record.key(), record.headers(), record.value());
            byte[] entry = DecisionLog.entryHash(seq, previous, content);
            rows.add(new Object[] {seq, record.key(), record.topic(), record.key(), record.headersJson(), record.value(), content,
                    entry, Timestamp.from(Instant.parse(record.headers().get(CloudEventHeaders.TIME)))});
            previous = entry;
        }
        jdbc.batchUpdate(INSERT, rows);
        jdbc.update("UPDATE decision_log_head SET seq = ?, entry_hash = ?", seq, previous);
    }
}
