package cn.eport.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way a service consumes. A batch of records is handled in one database transaction:
 * each record is read, those that cannot be read are dead-lettered, every event id is recorded in
 * the inbox, and only the events never seen before reach the handler, whose effects (and the events
 * it publishes through the {@link Outbox}) commit together with those inbox rows. The caller commits
 * the Kafka offsets after this returns.
 *
 * <p>When the batch fails:
 * <ul>
 * <li>for want of the database or the broker ({@link Failures#isTransient}), it throws, and the
 *     listener container delivers the batch again with backoff, for as long as it takes;</li>
 * <li>for any other reason, it handles the batch again one record per transaction, so that the
 *     failure shows on the record it belongs to. A record that fails on each of a few attempts is
 *     quarantined ({@link Quarantine}): kept for replay, announced on the dead-letter topic, and the
 *     rest of the batch commits. No record can stop a consumer.</li>
 * </ul>
 */
public class EventConsumer {

    /** The binding of {@link #consume(List, Consumer)}: a handler given with the batch, as tests do. */
    static final String DIRECT = "direct";
    private static final int MAX_REPLAY = 1_000;
    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

    private final EventReader reader;
    private final Outbox outbox;
    private final Quarantine quarantine;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final MessagingSettings settings;
    private final MeterRegistry meters;
    /** The consumed-events counter of each event type, looked up once rather than for every record. */
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Consumer<List<ReceivedEvent>>> handlers = new ConcurrentHashMap<>();

    EventConsumer(EventReader reader, Outbox outbox, Quarantine quarantine, JdbcClient jdbc, TransactionTemplate transaction,
            MessagingSettings settings, MeterRegistry meters) {
        this.reader = reader;
        this.outbox = outbox;
        this.quarantine = quarantine;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * The Spring Cloud Stream batch consumer of the binding {@code name}, which hands what it reads to
     * {@code handler}. The name is kept with every record it quarantines, so a replay finds the handler.
     */
    public java.util.function.Consumer<Message<List<byte[]>>> binding(String name, Consumer<List<ReceivedEvent>> handler) {
        if (handlers.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("Two bindings named " + name);
        }
        return batch -> consume(name, KafkaBatch.records(batch));
    }

    /** Consumes {@code batch} with {@code handler}, as the binding {@value #DIRECT}. */
    public void consume(List<IncomingRecord> batch, Consumer<List<ReceivedEvent>> handler) {
        handlers.put(DIRECT, handler);
        consume(DIRECT, batch);
    }

    void consume(String binding, List<IncomingRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Consumer<List<ReceivedEvent>> handler = handlerOf(binding);
        try {
            transaction.executeWithoutResult(status -> handle(batch, handler));
        } catch (RuntimeException failure) {
            if (Failures.isTransient(failure)) {
                throw failure;
            }
            log.warn("A batch of {} records failed ({}); handling them one at a time to find the one that fails",
                    batch.size(), Quarantine.reasonFor(failure));
            meters.counter("eport.events.batches.isolated", "binding", binding).increment();
            for (IncomingRecord record : batch) {
                consumeAlone(binding, record, handler);
            }
        }
    }

    /** One record in transactions of its own: a few attempts, then quarantine. */
    private void consumeAlone(String binding, IncomingRecord record, Consumer<List<ReceivedEvent>> handler) {
        RuntimeException failure = null;
        int attempts = settings.quarantine().attempts();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                transaction.executeWithoutResult(status -> handle(List.of(record), handler));
                return;
            } catch (RuntimeException e) {
                if (Failures.isTransient(e)) {
                    throw e;
                }
                failure = e;
                if (attempt < attempts) {
                    pause(settings.quarantine().backoff().toMillis() << (attempt - 1));
                }
            }
        }
        RuntimeException cause = failure;
        String eventKey = eventKeyOf(record);
        String applicationId = applicationIdOf(record);
        boolean fresh = Boolean.TRUE.equals(transaction.execute(status ->
                quarantine.put(binding, record, eventKey, applicationId, cause, attempts)));
        meters.counter("eport.events.quarantined", "topic", record.topic()).increment();
        // No stack trace with its messages: an exception's message may quote a personal ID number whole.
        log.atError().addKeyValue("applicationId", applicationId).log(
                "Quarantined {}/{}@{} (event {}, application {}) after {} attempts{}: {} [stack {}: {}]", record.topic(),
                record.partition(), record.offset(), eventKey, applicationId, attempts,
                fresh ? "" : " (a copy of one quarantined already)", Quarantine.reasonFor(cause), Quarantine.stackHash(cause),
                Quarantine.frames(cause));
    }

    /**
     * Replays quarantined records (all that are open when {@code eventKeys} is empty) through their
     * bindings and the inbox, each in its own transaction: one that was handled meanwhile (a copy
     * arrived after the fix) changes nothing again. A record whose replay fails stays quarantined.
     */
    public ReplayOutcome replay(List<String> eventKeys) {
        List<String> keys = eventKeys.isEmpty() ? quarantine.openKeys(MAX_REPLAY) : eventKeys.stream().limit(MAX_REPLAY).toList();
        List<String> replayed = new ArrayList<>();
        List<ReplayOutcome.Failure> failed = new ArrayList<>();
        List<String> notQuarantined = new ArrayList<>();
        for (String key : keys) {
            try {
                Boolean done = transaction.execute(status -> {
                    Optional<Quarantine.Held> held = quarantine.hold(key);
                    if (held.isEmpty()) {
                        return false;
                    }
                    handle(List.of(held.get().record()), handlerOf(held.get().binding()));
                    quarantine.released(held.get());
                    return true;
                });
                (Boolean.TRUE.equals(done) ? replayed : notQuarantined).add(key);
            } catch (RuntimeException e) {
                transaction.executeWithoutResult(status -> quarantine.replayFailed(key, e));
                failed.add(new ReplayOutcome.Failure(key, Quarantine.reasonFor(e)));
            }
        }
        meters.counter("eport.events.replayed").increment(replayed.size());
        log.info("Replayed {} quarantined records; {} failed again; {} were not (or no longer) quarantined",
                replayed.size(), failed.size(), notQuarantined.size());
        return new ReplayOutcome(replayed, failed, notQuarantined);
    }

    /** What a replay did: keys handled now, keys that failed again (with the reason), keys not found open. */
    public record ReplayOutcome(List<String> replayed, List<Failure> failed, List<String> notQuarantined) {

        public record Failure(String eventKey, String reason) {
        }
    }

    private Consumer<List<ReceivedEvent>> handlerOf(String binding) {
        Consumer<List<ReceivedEvent>> handler = handlers.get(binding);
        if (handler == null) {
            throw new IllegalStateException("No binding named " + binding + " in this service");
        }
        return handler;
    }

    /** Inside the caller's transaction. */
    private void handle(List<IncomingRecord> batch, Consumer<List<ReceivedEvent>> handler) {
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
                consumed.computeIfAbsent(read.event().type().ceType(), type -> meters.counter("eport.events.consumed", "type", type))
                        .increment();
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

    /** The key the inbox would know the record by: its event id, or where it was read when it has none. */
    private static String eventKeyOf(IncomingRecord record) {
        String id = record.headers().get(CloudEventHeaders.ID);
        return id == null || id.isBlank() || id.length() > 200 ? record.positionKey() : id;
    }

    private static @Nullable String applicationIdOf(IncomingRecord record) {
        for (String candidate : new String[] {record.key(), record.headers().get(CloudEventHeaders.SUBJECT)}) {
            try {
                if (candidate != null) {
                    return UUID.fromString(candidate).toString();
                }
            } catch (IllegalArgumentException notAnId) {
                // try the next
            }
        }
        return null;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while isolating a failing record", e);
        }
    }
}
