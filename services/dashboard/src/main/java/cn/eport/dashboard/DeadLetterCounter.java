package cn.eport.dashboard;

import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.IncomingRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Counts the records on the dead-letter topics, per consumer group and reason. They are exactly the
 * records that are not trustworthy events, so nothing is read from their bodies: the group and the
 * reason come from the headers the dead-lettering service added. Each record is counted once, by
 * where it was read, so a redelivered batch changes nothing.
 */
@Component
class DeadLetterCounter {

    static final int MAX_REASON_LENGTH = 200;
    private static final String DEAD_LETTERS_PREFIX = "eport.dlt.";
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final JdbcTemplate jdbc;

    DeadLetterCounter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void count(List<IncomingRecord> records) {
        List<IncomingRecord> deadLetters = records.stream()
                .filter(r -> !CloudEventHeaders.DLT_KIND_REPLAYED.equals(r.headers().get(CloudEventHeaders.DLT_KIND))).toList();
        if (!deadLetters.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO dead_letters (topic, partition, record_offset, consumer_group, reason, original_topic)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                    deadLetters.stream().map(r -> new Object[] {r.topic(), r.partition(), r.offset(), groupOf(r),
                            reasonOf(r), r.headers().get(CloudEventHeaders.DLT_ORIGINAL_TOPIC)}).toList());
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
