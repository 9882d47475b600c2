package cn.eport.dashboard;

import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.IncomingRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts the records on the dead-letter topics, per consumer group and reason. They are exactly the
 * records that are not trustworthy events, so nothing is read from their bodies: the group and the
 * reason come from the headers the dead-lettering service added. Each record is counted once, by
 * where it was read, so a redelivered batch changes nothing; with it, its group's and reason's count.
 */
@Component
class DeadLetterCounter {

    static final int MAX_REASON_LENGTH = 200;
    private static final String DEAD_LETTERS_PREFIX = "eport.dlt.";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final JdbcTemplate jdbc;
    private final JdbcClient client;

    DeadLetterCounter(JdbcTemplate jdbc, JdbcClient client) {
        this.jdbc = jdbc;
        this.client = client;
    }

    void count(List<IncomingRecord> records) {
        List<IncomingRecord> deadLetters = records.stream()
                .filter(r -> !CloudEventHeaders.DLT_KIND_REPLAYED.equals(r.headers().get(CloudEventHeaders.DLT_KIND))).toList();
        if (!deadLetters.isEmpty()) {
            // One statement, so the records and their counts change together: only the records new to the
            // table are added to their group's and reason's count, which the snapshot reads instead of them.
            client.sql("""
                    WITH counted AS (
                        INSERT INTO dead_letters (topic, partition, record_offset, consumer_group, reason, original_topic)
                        SELECT * FROM unnest(CAST(:topics AS text[]), CAST(:partitions AS integer[]), CAST(:offsets AS bigint[]),
                                             CAST(:groups AS text[]), CAST(:reasons AS text[]), CAST(:originalTopics AS text[]))
                        ON CONFLICT DO NOTHING
                        RETURNING consumer_group, reason, counted_at)
                    INSERT INTO dead_letter_counts AS c (consumer_group, reason, records, last_counted_at)
                    SELECT consumer_group, reason, count(*), max(counted_at) FROM counted
                    GROUP BY consumer_group, reason ORDER BY consumer_group, reason
                    ON CONFLICT (consumer_group, reason) DO UPDATE
                    SET records = c.records + excluded.records, last_counted_at = greatest(c.last_counted_at, excluded.last_counted_at)""")
                    .param("topics", deadLetters.stream().map(IncomingRecord::topic).toArray(String[]::new))
                    .param("partitions", deadLetters.stream().map(IncomingRecord::partition).toArray(Integer[]::new))
                    .param("offsets", deadLetters.stream().map(IncomingRecord::offset).toArray(Long[]::new))
                    .param("groups", deadLetters.stream().map(DeadLetterCounter::groupOf).toArray(String[]::new))
                    .param("reasons", deadLetters.stream().map(DeadLetterCounter::reasonOf).toArray(String[]::new))
                    .param("originalTopics", deadLetters.stream()
                            .map(r -> r.headers().get(CloudEventHeaders.DLT_ORIGINAL_TOPIC)).toArray(String[]::new))
                    .update();
        }
        List<Object[]> quarantined = new ArrayList<>();
        List<Object[]> replayed = new ArrayList<>();
        for (IncomingRecord record : records) {
            String kind = record.headers().get(CloudEventHeaders.DLT_KIND);
            String eventKey = bounded(record.headers().get(CloudEventHeaders.DLT_EVENT_KEY), 200);
            if (eventKey == null) {
                continue;
            }
            if (CloudEventHeaders.DLT_KIND_QUARANTINED.equals(kind)) {
                quarantined.add(new Object[] {groupOf(record), eventKey, applicationIdOf(record), reasonOf(record),
                        bounded(record.headers().get(CloudEventHeaders.DLT_EXCEPTION), 200),
                        bounded(record.headers().get(CloudEventHeaders.DLT_STACK_HASH), 64)});
            } else if (CloudEventHeaders.DLT_KIND_REPLAYED.equals(kind)) {
                replayed.add(new Object[] {groupOf(record), eventKey});
            }
        }
        if (!quarantined.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO quarantined (consumer_group, event_key, application_id, reason, exception, stack_hash)
                    VALUES (?, ?, ?::uuid, ?, ?, ?) ON CONFLICT DO NOTHING""", quarantined);
        }
        if (!replayed.isEmpty()) {
            jdbc.batchUpdate("""
                    UPDATE quarantined SET replayed_at = now()
                    WHERE consumer_group = ? AND event_key = ? AND replayed_at IS NULL""", replayed);
        }
    }

    private static @Nullable String applicationIdOf(IncomingRecord record) {
        String id = record.headers().get(CloudEventHeaders.DLT_APPLICATION_ID);
        return id != null && UUID.matcher(id).matches() ? id : null;
    }

    private static @Nullable String bounded(@Nullable String text, int max) {
        return text == null || text.isBlank() ? null : text.length() <= max ? text : text.substring(0, max);
    }

    private static String groupOf(IncomingRecord record) {
        String group = record.headers().get(CloudEventHeaders.DLT_CONSUMER_GROUP);
        if (group == null || group.isBlank()) {
            group = record.topic().startsWith(DEAD_LETTERS_PREFIX) ? record.topic().substring(DEAD_LETTERS_PREFIX.length()) : record.topic();
        }
        return group.length() > 64 ? group.substring(0, 64) : group;
    }

    /**
     * The reason, made countable: the ids in it (which differ for every record) are elided, whole
     * personal ID numbers masked, and it is cut to a length a table cell can show.
     */
    static String reasonOf(IncomingRecord record) {
        String reason = record.headers().get(CloudEventHeaders.DLT_REASON);
        if (reason == null || reason.isBlank()) {
            return "(no reason given)";
        }
        String countable = SPACES.matcher(UUID.matcher(ResidentIdNumber.maskedWithin(reason)).replaceAll("<id>")).replaceAll(" ").strip();
        return countable.length() > MAX_REASON_LENGTH ? countable.substring(0, MAX_REASON_LENGTH - 1) + "…" : countable;
    }
}
