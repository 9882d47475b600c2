package cn.eport.messaging;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.Topics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only way a service publishes. {@link #publish} writes the event into this service's outbox
 * table inside the caller's transaction, so the event exists if and only if the state change that
 * caused it committed; the relay sends it to Kafka after commit.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final MessagingSettings settings;
    private final Clock clock;
    private final TransactionSynchronization wakeRelayOnCommit;

    Outbox(JdbcClient jdbc, JsonMapper json, MessagingSettings settings, Clock clock, Runnable wakeRelay) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
        // One instance: a transaction's synchronizations are a set, so a batch of events wakes the relay once.
        this.wakeRelayOnCommit = new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wakeRelay.run();
            }
        };
    }

    /**
     * Queues {@code event} for its topic ({@link Topics#of}), keyed and subjected by its application id.
     * Must be called inside the transaction that makes the change the event reports.
     */
    public void publish(ApplicationEvent event) {
        Map<String, String> headers = CloudEventHeaders.of(event, UUID.randomUUID().toString(), settings.source(), clock.instant());
        insert(Topics.of(event), event.applicationId().toString(), headers, json.writeValueAsBytes(event));
    }

    /**
     * Queues a record this service could not read for its dead-letter topic: key, value and headers
     * as received, plus the reason and where it came from.
     */
    public void deadLetter(IncomingRecord record, String reason) {
        Map<String, String> headers = new LinkedHashMap<>(record.headers());
        headers.put(CloudEventHeaders.DLT_REASON, reason);
        headers.put(CloudEventHeaders.DLT_ORIGINAL_TOPIC, record.topic());
        headers.put(CloudEventHeaders.DLT_ORIGINAL_PARTITION, Integer.toString(record.partition()));
        headers.put(CloudEventHeaders.DLT_ORIGINAL_OFFSET, Long.toString(record.offset()));
        headers.put(CloudEventHeaders.DLT_CONSUMER_GROUP, settings.service());
        insert(Topics.deadLetters(settings.service()),
                record.key() == null ? "" : record.key(), headers, record.value());
    }

    private void insert(String topic, String key, Map<String, String> headers, byte[] payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox writes belong in the transaction of the change they report");
        }
        jdbc.sql("INSERT INTO outbox (topic, record_key, headers, payload) VALUES (?, ?, ?::jsonb, ?)")
                .params(topic, key, json.writeValueAsString(headers), payload)
                .update();
        TransactionSynchronizationManager.registerSynchronization(wakeRelayOnCommit);
    }
}
