package cn.eport.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends committed outbox rows to Kafka, oldest first, and deletes them once the broker has
 * acknowledged them. A row that points at a decision log entry is sent with the entry's record. A
 * crash between send and delete sends a row again; consumers deduplicate by event id, so
 * at-least-once here is exactly-once in effect.
 *
 * <p>Every instance of a service runs a relay, but only the one holding this schema's advisory lock
 * relays at a time, which keeps one application's events in the order they were committed.
 */
final class OutboxRelay extends LoopingWorker implements DisposableBean {

    private static final int LOCK_CLASS = 20_011_127;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    /** The next rows in commit order, each with its record, from the row itself or from its decision log entry. */
    private static final String PENDING = """
            SELECT o.id, o.topic, o.record_key, COALESCE(o.headers, d.headers)::text AS headers, COALESCE(o.payload, d.payload) AS payload
            FROM outbox o LEFT JOIN decision_log d ON d.lane = o.decision_lane AND d.seq = o.decision_seq
            ORDER BY o.id LIMIT ?""";
    private static final String SET_ASIDE = """
            INSERT INTO outbox_rejected (id, topic, record_key, headers, payload, created_at, reason)
            SELECT o.id, o.topic, o.record_key, COALESCE(o.headers, d.headers, '{}'), COALESCE(o.payload, d.payload, ''::bytea), o.created_at, ?
            FROM outbox o LEFT JOIN decision_log d ON d.lane = o.decision_lane AND d.seq = o.decision_seq
            WHERE o.id = ?
            ON CONFLICT (id) DO NOTHING""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ProducerFactory<String, byte[]> producers;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final MessagingSettings settings;
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final Counter relayed;
    private final Counter rejected;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate transaction, ProducerFactory<String, byte[]> producers,
            JsonMapper json, MessagingSettings settings, MeterRegistry meters) {
        super("outbox-relay-" + settings.service(), settings.relay().batchSize(), settings.relay().pollInterval(), RELAY_PHASE);
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.producers = producers;
        this.kafka = new KafkaTemplate<>(producers);
        this.json = json;
        this.settings = settings;
        this.relayed = Counter.builder("eport.outbox.relayed").description("Events relayed from the outbox to Kafka")
                .register(meters);
        this.rejected = Counter.builder("eport.outbox.rejected").description("Outbox rows the broker refused for good, set aside")
                .register(meters);
    }

    @Override
    protected int round() {
        return relayBatch();
    }

    /** Relays one batch if this instance holds the lock; returns how many rows it sent. */
    int relayBatch() {
        Integer sent = transaction.execute(status -> {
            Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(?, hashtext(current_schema()))")
                    .param(LOCK_CLASS).query(Boolean.class).single();
            if (!locked) {
                return 0;
            }
            List<Row> rows = jdbc.sql(PENDING).param(settings.relay().batchSize())
                    .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"),
                            rs.getString("headers"), rs.getBytes("payload"), ""))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Row> refused = new ArrayList<>();
            List<Row> sendable = new ArrayList<>(rows.size());
            for (Row row : rows) {
                if (row.payload() == null) {
                    refused.add(row.refusedFor("its decision log entry is missing: the log was changed under the service"
                            + " (GET /api/decision-log/check)"));
                } else {
                    sendable.add(row);
                }
            }
            refused.addAll(send(sendable));
            refused.forEach(row -> log.error("Outbox row {} for {} set aside in outbox_rejected: {}", row.id(), row.topic(), row.refusal()));
            rejected.increment(refused.size());
            for (Row row : refused) {
                jdbc.sql(SET_ASIDE).params(row.refusal(), row.id()).update();
            }
            jdbc.sql("DELETE FROM outbox WHERE id = ANY(?)")
                    .param(rows.stream().map(Row::id).toArray(Long[]::new))
                    .update();
            return rows.size();
        });
        relayed.increment(sent);
        return sent;
    }

    /**
     * Sends the rows and waits for the broker. Returns the rows it refused for good (a record too
     * large, a topic that cannot exist), which are set aside so that they cannot stop the relay;
     * throws when any other row is not acknowledged, so the whole batch is tried again.
     */
    private List<Row> send(List<Row> rows) {
        List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            try {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                json.readValue(row.headers(), HEADERS).forEach((name, value) ->
                        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
                acks.add(kafka.send(record));
            } catch (KafkaException | org.springframework.kafka.KafkaException e) {
                // Spring's template throws its own KafkaException for a record the producer refuses
                // before sending (too large for max.request.size): refused for good like a broker's no.
                acks.add(CompletableFuture.failedFuture(e));
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(settings.relay().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            List<Row> refused = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Optional<String> refusal = refusalOf(acks.get(i));
                if (refusal.isEmpty() && !(acks.get(i).isDone() && !acks.get(i).isCompletedExceptionally())) {
                    throw new IllegalStateException("the broker did not acknowledge " + rows.size() + " outbox rows", e);
                }
                if (refusal.isPresent()) {
                    refused.add(rows.get(i).refusedFor(refusal.get()));
                }
            }
            return refused.stream().map(row -> row.refusedFor("the broker refused it for good: " + row.refusal())).toList();
        }
    }

    /** Why the broker refused this send for good, if it did: a failure Kafka calls retriable is not a refusal. */
    private static Optional<String> refusalOf(CompletableFuture<?> ack) {
        if (!ack.isCompletedExceptionally()) {
            return Optional.empty();
        }
        try {
            ack.join();
            return Optional.empty();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof ApiException)) {
                cause = cause.getCause();
            }
            if (cause instanceof RecordTooLargeException || cause instanceof InvalidTopicException
                    || cause instanceof RecordBatchTooLargeException || cause instanceof SerializationException) {
                return Optional.of(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            return Optional.empty();
        }
    }

    @Override
    protected boolean runs() {
        return settings.relay().enabled();
    }

    @Override
    public void destroy() {
        producers.reset();
    }

    /** An outbox row with its record; {@code headers} and {@code payload} are null when its decision log entry is gone. */
    private record Row(long id, String topic, String key, @Nullable String headers, byte @Nullable [] payload, String refusal) {

        Row refusedFor(String reason) {
            return new Row(id, topic, key, headers, payload, reason);
        }
    }
}
