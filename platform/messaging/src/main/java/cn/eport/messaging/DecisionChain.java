package cn.eport.messaging;

import cn.eport.contracts.DecisionLog;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Appends the events a transaction publishes to this service's decision log (table
 * {@code decision_log}), chained as {@link DecisionLog} defines, each in the lane of its record key.
 * Called by the {@link Outbox} just before the transaction commits, after its outbox rows: a lane's
 * head row is locked only from here to the commit, a transaction locks the heads of its lanes in
 * ascending order, and every publishing transaction takes those locks last. So a lane's entries chain
 * in commit order, no two transactions wait on each other in a cycle, and transactions of different
 * lanes (different applications, mostly) do not wait on each other at all.
 */
final class DecisionChain {

    private static final String INSERT = "INSERT INTO decision_log (lane, seq, application_id, topic, record_key, headers, payload,"
            + " content_hash, entry_hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)";

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
        Map<Integer, List<Published>> byLane = new TreeMap<>();
        for (Published record : records) {
            byLane.computeIfAbsent(DecisionLog.laneOf(record.key()), lane -> new ArrayList<>()).add(record);
        }
        List<Object[]> rows = new ArrayList<>(records.size());
        List<Object[]> heads = new ArrayList<>(byLane.size());
        for (Map.Entry<Integer, List<Published>> lane : byLane.entrySet()) {
            Head head = jdbc.queryForObject("SELECT seq, entry_hash FROM decision_log_head WHERE lane = ? FOR UPDATE",
                    (row, i) -> new Head(row.getLong(1), row.getBytes(2)), lane.getKey());
            long seq = head.seq();
            byte[] previous = head.hash();
            for (Published record : lane.getValue()) {
                seq++;
                byte[] content = DecisionLog.contentHash(record.topic(), record.key(), record.headers(), record.value());
                byte[] entry = DecisionLog.entryHash(lane.getKey(), seq, previous, content);
                rows.add(new Object[] {lane.getKey(), seq, record.key(), record.topic(), record.key(), record.headersJson(), record.value(),
                        content, entry, Timestamp.from(Instant.parse(record.headers().get(CloudEventHeaders.TIME)))});
                previous = entry;
            }
            heads.add(new Object[] {seq, previous, lane.getKey()});
        }
        jdbc.batchUpdate(INSERT, rows);
        jdbc.batchUpdate("UPDATE decision_log_head SET seq = ?, entry_hash = ? WHERE lane = ?", heads);
    }
}
