package cn.eport.messaging;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.RecordSignature;
import cn.eport.contracts.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only way a service publishes. {@link #publish} adds the event to this service's outbox table
 * inside the caller's transaction, so the event exists if and only if the state change that
 * caused it committed; the relay sends it to Kafka after commit.
 *
 * <p>A transaction's events are written together, in one JDBC batch just before it commits, in
 * the order they were published: a batch of a hundred verdicts costs one round trip, not a hundred.
 * Where the service keeps a decision log, an event's row points at its entry there (lane and
 * sequence number) rather than holding the record a second time; the relay sends the entry's bytes.
 */
public class Outbox {

    /** Well under the broker's default 1 MB record limit, with room for the headers. */
    static final int MAX_DEAD_LETTER_VALUE_BYTES = 256 * 1024;
    private static final int MAX_DEAD_LETTER_HEADERS = 32;
    private static final int MAX_DEAD_LETTER_HEADER_CHARS = 1024;
    private static final String INSERT = "INSERT INTO outbox (topic, record_key, headers, payload, decision_lane, decision_seq)"
            + " VALUES (?, ?, ?::jsonb, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final MessagingSettings settings;
    private final Clock clock;
    private final Runnable wakeRelay;
    private final RecordSignatures signatures;
    private final @Nullable DecisionChain decisions;

    Outbox(JdbcTemplate jdbc, JsonMapper json, MessagingSettings settings, Clock clock, Runnable wakeRelay,
            RecordSignatures signatures, @Nullable DecisionChain decisions) {
        this.jdbc = jdbc;
        this.signatures = signatures;
        this.decisions = decisions;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        this.wakeRelay = wakeRelay;
    }

    /**
     * Queues {@code event} for its topic ({@link Topics#of}), keyed and subjected by its application id.
     * Must be called inside the transaction that makes the change the event reports. On a topic whose
     * records are signed ({@link RecordSignatures}) the record is signed here, over the bytes the relay sends.
     * Where this service keeps a decision log, the record is its next entry ({@link DecisionChain}).
     */
    public void publish(ApplicationEvent event) {
        Map<String, String> headers = CloudEventHeaders.of(event, UUID.randomUUID().toString(), settings.source(), clock.instant());
        String topic = Topics.of(event);
        String key = event.applicationId().toString();
        byte[] value = json.writeValueAsBytes(event);
        signatures.sign(topic, key, headers, value).ifPresent(signature -> headers.put(RecordSignature.HEADER, signature));
        String headersJson = json.writeValueAsString(headers);
        PendingRows rows = pendingRows();
        rows.records.add(decisions == null ? Pending.record(topic, key, headersJson, value)
                : new Pending(topic, key, null, null, new DecisionChain.Published(topic, key, headers, headersJson, value)));
    }

    /**
     * Queues a record that is not an event of an application (a decision log's seal) for {@code topic},
     * as it is: it is not signed here and not a decision log entry.
     */
    void publishAsIs(String topic, String key, Map<String, String> headers, byte[] value) {
        pending().add(Pending.record(topic, key, json.writeValueAsString(headers), value));
    }

    /**
     * Queues a record this service could not read for its dead-letter topic: key, value and headers
     * as received, plus the reason and where it came from.
     */
    public void deadLetter(IncomingRecord record, String reason) {
        deadLetter(record, reason, Map.of(CloudEventHeaders.DLT_KIND, CloudEventHeaders.DLT_KIND_UNREADABLE));
    }

    /**
     * Queues {@code record} for this service's dead-letter topic with the reason, where it came from
     * and {@code more} headers. The value is cut to {@link #MAX_DEAD_LETTER_VALUE_BYTES} (the cut is
     * marked in a header), so a record near the broker's size limit cannot become a dead letter the
     * broker refuses.
     */
    void deadLetter(IncomingRecord record, String reason, Map<String, String> more) {
        Map<String, String> headers = new LinkedHashMap<>();
        record.headers().forEach((name, value) -> {
            if (!name.startsWith("x-dlt-") && headers.size() < MAX_DEAD_LETTER_HEADERS) {
                headers.put(name, bounded(value, MAX_DEAD_LETTER_HEADER_CHARS));
            }
        });
        headers.put(CloudEventHeaders.DLT_REASON, bounded(reason, MAX_DEAD_LETTER_HEADER_CHARS));
        headers.put(CloudEventHeaders.DLT_ORIGINAL_TOPIC, record.topic());
        headers.put(CloudEventHeaders.DLT_ORIGINAL_PARTITION, Integer.toString(record.partition()));
        headers.put(CloudEventHeaders.DLT_ORIGINAL_OFFSET, Long.toString(record.offset()));
        headers.put(CloudEventHeaders.DLT_CONSUMER_GROUP, settings.service());
        headers.putAll(more);
        byte[] value = record.value();
        if (value.length > MAX_DEAD_LETTER_VALUE_BYTES) {
            headers.put(CloudEventHeaders.DLT_TRUNCATED_FROM, Integer.toString(value.length));
            value = Arrays.copyOf(value, MAX_DEAD_LETTER_VALUE_BYTES);
        }
        String key = record.key() == null ? "" : bounded(record.key(), MAX_DEAD_LETTER_HEADER_CHARS);
        pending().add(Pending.record(Topics.deadLetters(settings.service()), key, json.writeValueAsString(headers), value));
    }

    /** Queues the notice that the quarantined record {@code eventKey} was replayed and handled. */
    void replayed(String eventKey, @Nullable String applicationId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.DLT_KIND, CloudEventHeaders.DLT_KIND_REPLAYED);
        headers.put(CloudEventHeaders.DLT_EVENT_KEY, eventKey);
        headers.put(CloudEventHeaders.DLT_CONSUMER_GROUP, settings.service());
        if (applicationId != null) {
            headers.put(CloudEventHeaders.DLT_APPLICATION_ID, applicationId);
        }
        pending().add(Pending.record(Topics.deadLetters(settings.service()), applicationId == null ? "" : applicationId,
                json.writeValueAsString(headers), new byte[0]));
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** This transaction's rows, written before it commits. */
    private List<Pending> pending() {
        return pendingRows().records;
    }

    private PendingRows pendingRows() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox writes belong in the transaction of the change they report");
        }
        PendingRows rows = (PendingRows) TransactionSynchronizationManager.getResource(this);
        if (rows == null) {
            rows = new PendingRows();
            TransactionSynchronizationManager.bindResource(this, rows);
            TransactionSynchronizationManager.registerSynchronization(rows);
        }
        return rows;
    }

    /** A row to write: the record itself, or, where {@code decision} is set, a pointer to the log entry that holds it. */
    private record Pending(String topic, String key, @Nullable String headersJson, byte @Nullable [] value,
            DecisionChain.@Nullable Published decision) {

        static Pending record(String topic, String key, String headersJson, byte[] value) {
            return new Pending(topic, key, headersJson, value, null);
        }
    }

    private final class PendingRows implements TransactionSynchronization {

        private final List<Pending> records = new ArrayList<>();

        /**
         * The decision log entries first, so that each row can point at its entry; then every row, in
         * the order published.
         */
        @Override
        public void beforeCommit(boolean readOnly) {
            List<DecisionChain.Published> published = records.stream().map(Pending::decision).filter(Objects::nonNull).toList();
            Iterator<DecisionChain.Entry> entries = published.isEmpty() ? Collections.emptyIterator()
                    : decisions.append(published).iterator();
            List<Object[]> rows = new ArrayList<>(records.size());
            for (Pending record : records) {
                DecisionChain.Entry entry = record.decision() == null ? null : entries.next();
                rows.add(new Object[] {record.topic(), record.key(), record.headersJson(), record.value(),
                        entry == null ? null : entry.lane(), entry == null ? null : entry.seq()});
            }
            if (!rows.isEmpty()) {
                jdbc.batchUpdate(INSERT, rows);
            }
        }

        @Override
        public void afterCommit() {
            wakeRelay.run();
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
        }
    }
}
