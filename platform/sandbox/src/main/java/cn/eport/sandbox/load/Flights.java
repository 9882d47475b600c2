package cn.eport.sandbox.load;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every application the generator submitted, followed on the topics as an integrator would: the six
 * verdict topics and {@code eport.cards}, read from their ends as the run starts. The time of each
 * application's sixth final verdict and of its card set is taken here, on arrival, against the time
 * its submission was due (not sent: a submission held up by a slow system still counts its wait).
 * When all six approved, the telecom counter is called ({@code onApproved}).
 */
final class Flights implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int ALL_AGENCIES = (1 << Agency.values().length) - 1;
    /** Verdicts for an id no submission has claimed yet are kept this long: a 201 may come after the verdicts. */
    private static final long ORPHAN_NANOS = Duration.ofSeconds(120).toNanos();

    /** One application, from the moment its submission was due. Guarded by itself. */
    static final class Flight {
        final Phase phase;
        /** When its submission was due; in a backlog, when the backlog was released. */
        volatile long dueNanos;
        final String slipNumber;
        final String organisationCode;
        int decided;
        boolean rejected;
        boolean verdictsRecorded;
        boolean cardsRecorded;
        long verdictsAtNanos;
        long cardsAtNanos;

        Flight(Phase phase, long dueNanos, String slipNumber, String organisationCode) {
            this.phase = phase;
            this.dueNanos = dueNanos;
            this.slipNumber = slipNumber;
            this.organisationCode = organisationCode;
        }
    }

    /** What one phase of the run measured: its histograms in microseconds, and its counts. */
    static final class Phase {
        final String name;
        final Recorder accepted = new Recorder(3);
        final Recorder verdicts = new Recorder(3);
        final Recorder cards = new Recorder(3);
        final Histogram acceptedTotal = new Histogram(3);
        final Histogram verdictsTotal = new Histogram(3);
        final Histogram cardsTotal = new Histogram(3);
        final AtomicLong offered = new AtomicLong();
        final AtomicLong acceptedCount = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong verdictsComplete = new AtomicLong();
        final AtomicLong rejectedCount = new AtomicLong();
        final AtomicLong cardsComplete = new AtomicLong();
        final AtomicLong telecomFailures = new AtomicLong();
        final AtomicLong lastVerdictNanos = new AtomicLong();
        final AtomicLong lastCardsNanos = new AtomicLong();
        final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

        Phase(String name) {
            this.name = name;
        }

        /** Moves what the recorders hold since the last call into the totals; returns the interval's verdict latencies. */
        synchronized Histogram drain() {
            acceptedTotal.add(accepted.getIntervalHistogram());
            cardsTotal.add(cards.getIntervalHistogram());
            Histogram interval = verdicts.getIntervalHistogram();
            verdictsTotal.add(interval);
            return interval;
        }

        long lastVerdictNanos() {
            return lastVerdictNanos.get();
        }

        long lastCardsNanos() {
            return lastCardsNanos.get();
        }

        void failed(String why) {
            failures.computeIfAbsent(why, key -> new AtomicLong()).incrementAndGet();
        }

        /** Accepted, but neither all verdicts nor a rejection yet. */
        long inFlight() {
            return acceptedCount.get() - verdictsComplete.get() - rejectedCount.get();
        }
    }

    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final Map<String, Orphan> orphans = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<Flight> onApproved;
    private final Thread watcher;
    private volatile boolean running = true;

    /** Verdicts seen for an id before its submission's answer. */
    private static final class Orphan {
        final long firstSeenNanos = System.nanoTime();
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        boolean taken;
    }

    Flights(Map<String, Object> kafkaClient, Consumer<Flight> onApproved) {
        this.onApproved = onApproved;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            topics.add(Topics.verdicts(agency));
        }
        topics.add(Topics.CARDS);
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.watcher = new Thread(this::watch, "load-flights");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Called when intake accepted a submission. */
    void accepted(String applicationId, Flight flight, long answeredAtNanos) {
        flight.phase.acceptedCount.incrementAndGet();
        flight.phase.accepted.recordValue(micros(answeredAtNanos - flight.dueNanos));
        flights.put(applicationId, flight);
        takeOrphan(applicationId, flight);
    }

    /** Applies what arrived for the id before its flight was known; later records go to the flight directly. */
    private void takeOrphan(String applicationId, Flight flight) {
        Orphan orphan = orphans.remove(applicationId);
        if (orphan != null) {
            synchronized (orphan) {
                orphan.taken = true;
                for (int i = 0; i < orphan.records.size(); i++) {
                    apply(applicationId, flight, orphan.records.get(i), orphan.arrivals.get(i));
                }
                orphan.records.clear();
            }
        }
    }

    /** A backlog's latencies count from its release, not from each submission. */
    void restartClocks(long releasedAtNanos) {
        flights.values().forEach(flight -> flight.dueNanos = releasedAtNanos);
    }

    private void watch() {
        long lastPurge = System.nanoTime();
        while (running) {
            try {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    Flight flight = flights.get(record.key());
                    if (flight != null) {
                        apply(record.key(), flight, record, now);
                    } else {
                        Orphan orphan = orphans.computeIfAbsent(record.key(), key -> new Orphan());
                        boolean taken;
                        synchronized (orphan) {
                            taken = orphan.taken;
                            if (!taken) {
                                orphan.records.add(record);
                                orphan.arrivals.add(now);
                            }
                        }
                        Flight known = flights.get(record.key());
                        if (taken && known != null) {
                            apply(record.key(), known, record, now);
                        } else if (!taken && known != null) {
                            // The answer came in between: its flight took no orphan then, so it is taken now.
                            takeOrphan(record.key(), known);
                        }
                    }
                }
                if (System.nanoTime() - lastPurge > ORPHAN_NANOS) {
                    long now = System.nanoTime();
                    lastPurge = now;
                    orphans.values().removeIf(orphan -> now - orphan.firstSeenNanos > ORPHAN_NANOS);
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("load generator: reading the topics failed: " + e);
            }
        }
    }

    private void apply(String applicationId, Flight flight, ConsumerRecord<String, byte[]> record, long arrivedNanos) {
        boolean approvedByAll = false;
        synchronized (flight) {
            if (record.topic().equals(Topics.CARDS)) {
                if (!flight.cardsRecorded) {
                    flight.cardsRecorded = true;
                    flight.cardsAtNanos = arrivedNanos;
                    flight.phase.cards.recordValue(micros(arrivedNanos - flight.dueNanos));
                    flight.phase.cardsComplete.incrementAndGet();
                    flight.phase.lastCardsNanos.accumulateAndGet(arrivedNanos, Math::max);
                    flights.remove(applicationId);
                }
                return;
            }
            String outcome = JSON.readTree(record.value()).path("outcome").asString();
            if (outcome.equals("REFERRED")) {
                return;
            }
            int bit = 1 << Topics.agencyOfVerdictTopic(record.topic()).ordinal();
            if ((flight.decided & bit) != 0) {
                return;
            }
            flight.decided |= bit;
            if (outcome.equals("REJECTED") && !flight.rejected) {
                flight.rejected = true;
                flight.phase.rejectedCount.incrementAndGet();
            }
            if (flight.decided == ALL_AGENCIES && !flight.verdictsRecorded && !flight.rejected) {
                flight.verdictsRecorded = true;
                flight.verdictsAtNanos = arrivedNanos;
                flight.phase.verdicts.recordValue(micros(arrivedNanos - flight.dueNanos));
                flight.phase.verdictsComplete.incrementAndGet();
                flight.phase.lastVerdictNanos.accumulateAndGet(arrivedNanos, Math::max);
                approvedByAll = true;
            }
        }
        if (approvedByAll) {
            onApproved.accept(flight);
        }
    }

    static long micros(long nanos) {
        return Math.max(1, nanos / 1000);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        watcher.join(5000);
        consumer.close();
    }
}
