package cn.eport.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way a service consumes. One call takes one batch of records and, in one database
 * transaction: reads each record, dead-letters those that cannot be read, records every event id
 * in the inbox, and hands only the events never seen before to the handler, whose effects (and the
 * events it publishes through the {@link Outbox}) commit together with those inbox rows. The
 * caller commits the Kafka offsets after this returns; if anything fails, nothing commits and the
 * batch is delivered again.
 */
public class EventConsumer {

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

    private final EventReader reader;
    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final MeterRegistry meters;

    EventConsumer(EventReader reader, Outbox outbox, JdbcClient jdbc, TransactionTemplate transaction, MeterRegistry meters) {
        this.reader = reader;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.meters = meters;
    }

    public void consume(List<IncomingRecord> batch, Consumer<List<ReceivedEvent>> handler) {
        if (batch.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            List<EventReader.Outcome> outcomes = new ArrayList<>(batch.size());
            List<String> keys = new ArrayList<>(batch.size());
            for (IncomingRecord record : batch) {
                EventReader.Outcome outcome = reader.read(record);
                outcomes.add(outcome);
                keys.add(outcome instanceof EventReader.Read read ? read.event().eventId() : record.positionKey());
            }
            Set<String> firstSeen = recordInInbox(keys);
            List<ReceivedEvent> fresh = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                if (!firstSeen.remove(keys.get(i))) {
                    meters.counter("eport.events.duplicates", "topic", batch.get(i).topic()).increment();
                    continue;
                }
                if (outcomes.get(i) instanceof EventReader.Read read) {
                    fresh.add(read.event());
                    meters.counter("eport.events.consumed", "type", read.event().type().ceType()).increment();
                } else if (outcomes.get(i) instanceof EventReader.Unreadable unreadable) {
                    IncomingRecord record = batch.get(i);
                    log.atWarn().addKeyValue("applicationId", record.key()).log("Dead-lettering {}/{}@{} (key {}): {}",
                            record.topic(), record.partition(), record.offset(), record.key(), unreadable.reason());
                    outbox.deadLetter(record, unreadable.reason());
                    meters.counter("eport.events.dead.lettered", "topic", record.topic()).increment();
                }
            }
            if (!fresh.isEmpty()) {
                handler.accept(fresh);
            }
        });
    }

    /** Inserts the keys into the inbox; returns those that were not there before. */
    private Set<String> recordInInbox(List<String> keys) {
        List<String> inserted = jdbc.sql("""
                        INSERT INTO inbox (event_key) SELECT DISTINCT unnest(?::text[])
                        ON CONFLICT DO NOTHING RETURNING event_key""")
                .param(keys.toArray(String[]::new))
                .query(String.class)
                .list();
        return new HashSet<>(inserted);
    }
}
