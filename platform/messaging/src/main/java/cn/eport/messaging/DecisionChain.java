package cn.eport.messaging;

import cn.eport.contracts.DecisionLog;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Appends the events a transaction publishes to this service's decision log (table
 * {@code decision_log}), chained as {@link DecisionLog} defines, each in the lane of its record key.
 * Called by the {@link Outbox} just before the transaction commits; the outbox rows that point at
 * the new entries follow. A lane's head row is locked only from here to the commit, a transaction
 * locks the heads of its lanes in ascending order, and every publishing transaction takes those
 * locks last. So a lane's entries chain in commit order, no two transactions wait on each other in
 * a cycle, and transactions of different lanes (different applications, mostly) do not wait on each
 * other at all.
 */
final class DecisionChain {

    private static final String INSERT = "INSERT INTO decision_log (lane, seq, application_id, topic, record_key, headers, payload,"
            + " content_hash, entry_hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)";

    /** One published record, as the relay will send it. */
    record Published(String topic, String key, Map<String, String> headers, String headersJson, byte[] value) {
    }

    /** Where a record was appended: the outbox row points here. */
    record Entry(int lane, long seq) {
    }

    private record Head(long seq, byte[] hash) {
    }

    private final JdbcTemplate jdbc;

    DecisionChain(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends {@code records} and returns the entry of each, in the same order. */
    List<Entry> append(List<Published> records) {
        Map<Integer, List<Integer>> byLane = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            byLane.computeIfAbsent(DecisionLog.laneOf(records.get(i).key()), lane -> new ArrayList<>()).add(i);
        }
        Map<Integer, Head> heads = lockHeads(byLane.keySet());
        Entry[] entries = new Entry[records.size()];
        List<Object[]> rows = new ArrayList<>(records.size());
        List<Object[]> newHeads = new ArrayList<>(byLane.size());
        for (Map.Entry<Integer, List<Integer>> lane : byLane.entrySet()) {
            Head head = heads.get(lane.getKey());
            long seq = head.seq();
            byte[] previous = head.hash();
            for (int index : lane.getValue()) {
                Published record = records.get(index);
                seq++;
                byte[] content = DecisionLog.contentHash(record.topic(), record.key(), record.headers(), record.value());
                byte[] entry = DecisionLog.entryHash(lane.getKey(), seq, previous, content);
                rows.add(new Object[] {lane.getKey(), seq, record.key(), record.topic(), record.key(), record.headersJson(), record.value(),
                        content, entry, Timestamp.from(Instant.parse(record.headers().get(CloudEventHeaders.TIME)))});
                entries[index] = new Entry(lane.getKey(), seq);
                previous = entry;
            }
            newHeads.add(new Object[] {seq, previous, lane.getKey()});
        }
        jdbc.batchUpdate(INSERT, rows);
        jdbc.batchUpdate("UPDATE decision_log_head SET seq = ?, entry_hash = ? WHERE lane = ?", newHeads);
        return List.of(entries);
    }

    /**
     * Locks the heads of {@code lanes} in one statement. ORDER BY comes before FOR UPDATE in a plan, so
     * the rows are locked in ascending lane order, the order every publishing transaction takes them in.
     */
    private Map<Integer, Head> lockHeads(Set<Integer> lanes) {
        Map<Integer, Head> heads = new HashMap<>();
        jdbc.query("SELECT lane, seq, entry_hash FROM decision_log_head WHERE lane = ANY(?) ORDER BY lane FOR UPDATE",
                (RowCallbackHandler) row -> heads.put(row.getInt(1), new Head(row.getLong(2), row.getBytes(3))),
                (Object) lanes.toArray(Integer[]::new));
        if (heads.size() != lanes.size()) {
            throw new IllegalStateException("decision_log_head lacks a row for one of lanes " + lanes + ": the migration made all " + DecisionLog.LANES);
        }
        return heads;
    }
}
