package cn.eport.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends committed outbox rows to Kafka, oldest first, and deletes them once the broker has
 * acknowledged them. A crash between send and delete sends a row again; consumers deduplicate by
 * event id, so at-least-once here is exactly-once in effect.
 *
 * <p>Every instance of a service runs a relay, but only the one holding this schema's advisory lock
 * relays at a time, which keeps one application's events in the order they were committed.
 */
final class OutboxRelay implements SmartLifecycle, DisposableBean {

    private static final int LOCK_CLASS = 20_011_127;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ProducerFactory<String, byte[]> producers;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final MessagingSettings settings;
    private final Counter relayed;
    private final BatchLoop loop;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate transaction, ProducerFactory<String, byte[]> producers,
            JsonMapper json, MessagingSettings settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.producers = producers;
        this.kafka = new KafkaTemplate<>(producers);
        this.json = json;
        this.settings = settings;
        this.relayed = Counter.builder("eport.outbox.relayed").description("Events relayed from the outbox to Kafka")
                .register(meters);
        this.loop = new BatchLoop("outbox-relay-" + settings.service(), settings.relay().batchSize(),
                settings.relay().pollInterval(), this::relayBatch);
    }

    /** Something was committed to the outbox: look now rather than at the next poll. */
    void wakeUp() {
        loop.wakeUp();
    }

    /** Relays one batch if this instance holds the lock; returns how many rows it sent. */
    int relayBatch() {
        Integer sent = transaction.execute(status -> {
            Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(?, hashtext(current_schema()))")
                    .param(LOCK_CLASS).query(Boolean.class).single();
            if (!locked) {
                return 0;
            }
            List<Row> rows = jdbc.sql("SELECT id, topic, record_key, headers::text AS headers, payload FROM outbox ORDER BY id LIMIT ?")
                    .param(settings.relay().batchSize())
                    .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("topic"), rs.getString("record_key"),
                            rs.getString("headers"), rs.getBytes("payload")))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            send(rows);
            jdbc.sql("DELETE FROM outbox WHERE id = ANY(?)")
                    .param(rows.stream().map(Row::id).toArray(Long[]::new))
                    .update();
            return rows.size();
        });
        relayed.increment(sent);
        return sent;
    }

    private void send(List<Row> rows) {
        List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
            json.readValue(row.headers(), HEADERS).forEach((name, value) ->
                    record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
            acks.add(kafka.send(record));
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(settings.relay().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not acknowledge " + rows.size() + " outbox rows", e);
        }
    }

    @Override
    public void start() {
        if (settings.relay().enabled()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public void destroy() {
        producers.reset();
    }

    /** Stop before the Kafka binder and the data source go away. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private record Row(long id, String topic, String key, String headers, byte[] payload) {
    }
}
