package cn.eport.sandbox.faults;

import cn.eport.contracts.Agency;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Topics;
import cn.eport.messaging.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every topic of the joint review from the beginning, as an integrator would, and keeps what
 * they say about each application: its revisions, each agency's verdicts, telecom's registration,
 * card sets, and every dead letter. This is the ground truth the fault matrix checks the services
 * against; it also keeps a sample of the services' own records, for redelivering as duplicates.
 * Records the matrix itself produced (poison) are recognised by their {@code ce_source}.
 */
final class TopicWatcher implements AutoCloseable {

    /** The {@code ce_source} of every record the fault matrix makes up. */
    static final String MATRIX_SOURCE = "/eport/fault-matrix";

    private static final Logger log = LoggerFactory.getLogger(TopicWatcher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEAD_LETTER_PREFIX = Topics.deadLetters("");
    private static final int RESERVOIR = 20_000;

    record Verdict(String ceId, int revision, Agency agency, String outcome, String decidedBy, Instant at) {

        boolean isFinal() {
            return outcome.equals("APPROVED") || outcome.equals("REJECTED");
        }
    }

    /**
     * @param at       when its record was written
     * @param issuedAt when card issuance decided it ({@code issuedAt} in the body)
     */
    record CardSet(String ceId, int revision, String legalPersonCard, Instant at, Instant issuedAt) {
    }

    /** A record on {@code eport.dlt.<group>}, with the headers the dead-lettering service set. */
    record DeadLetter(String group, String kind, String reason, String originalTopic, String key, String applicationId,
            String originalEventId, Instant at) {
    }

    /** What the topics say about one application. Read and changed only under the watcher's lock. */
    static final class Application {
        final UUID id;
        String submittedBy;
        String slipNumber;
        String organisationCode;
        int revision;
        Instant submittedAt;
        Instant withdrawnAt;
        final Map<String, Verdict> verdicts = new LinkedHashMap<>();
        final Map<String, Instant> telecom = new LinkedHashMap<>();
        final Map<String, CardSet> cardSets = new LinkedHashMap<>();
        int cardRecords;
        int verdictRecords;

        Application(UUID id) {
            this.id = id;
        }

        /** The agency's first final verdict for the revision (a later one under another id is a second verdict). */
        Optional<Verdict> finalVerdict(int ofRevision, Agency agency) {
            return verdicts.values().stream().filter(v -> v.revision() == ofRevision && v.agency() == agency && v.isFinal()).findFirst();
        }

        Optional<Verdict> referral(int ofRevision, Agency agency) {
            return verdicts.values().stream()
                    .filter(v -> v.revision() == ofRevision && v.agency() == agency && v.outcome().equals("REFERRED")).findFirst();
        }

        /** Any verdict, referral included: the agency has checked the revision. */
        Optional<Verdict> firstVerdict(int ofRevision, Agency agency) {
            return verdicts.values().stream().filter(v -> v.revision() == ofRevision && v.agency() == agency).findFirst();
        }

        boolean approvedByAll(int ofRevision) {
            for (Agency agency : Agency.values()) {
                if (finalVerdict(ofRevision, agency).map(v -> !v.outcome().equals("APPROVED")).orElse(true)) {
                    return false;
                }
            }
            return true;
        }

        boolean rejected(int ofRevision) {
            for (Agency agency : Agency.values()) {
                if (finalVerdict(ofRevision, agency).map(v -> v.outcome().equals("REJECTED")).orElse(false)) {
                    return true;
                }
            }
            return false;
        }

        boolean cardsIssued() {
            return !cardSets.isEmpty();
        }

        Optional<Instant> firstCards() {
            return cardSets.values().stream().map(CardSet::at).min(Instant::compareTo);
        }
    }

    /** A record as it was on its topic, to be produced again unchanged. */
    record Copy(String topic, byte[] key, byte[] value, List<Header> headers, String ceId) {

        ProducerRecord<byte[], byte[]> toRecord() {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach(record.headers()::add);
            return record;
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<UUID, Application> applications = new HashMap<>();
    private final Map<String, List<UUID>> byAccount = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<Copy> reservoir = new ArrayList<>();
    private final Random random;
    private long recordsRead;
    private long serviceRecordsSeen;
    private volatile boolean running = true;

    TopicWatcher(Map<String, Object> kafkaClient, long seed) {
        Properties properties = new Properties();
        properties.putAll(kafkaClient);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-matrix-watcher-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        // Dead-letter topics appear when a service first dead-letters: find them within seconds.
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 3000);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(properties);
        this.random = new Random(seed);
        consumer.subscribe(Pattern.compile("eport\\..*"));
        this.thread = new Thread(this::run, "fault-matrix-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        read(record);
                    } catch (RuntimeException e) {
                        log.debug("not one of ours: {}", e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private synchronized void read(ConsumerRecord<byte[], byte[]> record) {
        recordsRead++;
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        Instant at = Instant.ofEpochMilli(record.timestamp());
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        if (record.topic().startsWith(DEAD_LETTER_PREFIX)) {
            deadLetters.add(new DeadLetter(record.topic().substring(DEAD_LETTER_PREFIX.length()),
                    headers.getOrDefault(CloudEventHeaders.DLT_KIND, "UNREADABLE"), headers.get(CloudEventHeaders.DLT_REASON),
                    headers.get(CloudEventHeaders.DLT_ORIGINAL_TOPIC), key, headers.get(CloudEventHeaders.DLT_APPLICATION_ID),
                    headers.get(CloudEventHeaders.ID), at));
            return;
        }
        String source = headers.getOrDefault(CloudEventHeaders.SOURCE, "");
        if (source.startsWith(MATRIX_SOURCE)) {
            return;
        }
        String ceId = headers.get(CloudEventHeaders.ID);
        Optional<EventType> type = EventType.ofCeType(headers.getOrDefault(CloudEventHeaders.TYPE, ""));
        if (ceId == null || type.isEmpty() || record.value() == null) {
            return;
        }
        keepForDuplicates(record, ceId);
        JsonNode body = JSON.readTree(record.value());
        UUID id = UUID.fromString(body.path("applicationId").asString());
        Application application = applications.computeIfAbsent(id, Application::new);
        switch (type.get()) {
            case APPLICATION_SUBMITTED, APPLICATION_AMENDED -> {
                int revision = body.path("revision").asInt();
                if (revision > application.revision) {
                    application.revision = revision;
                }
                if (application.submittedBy == null && type.get() == EventType.APPLICATION_SUBMITTED) {
                    application.submittedBy = body.path("submittedBy").asString();
                    application.slipNumber = body.path("slipNumber").asString();
                    application.organisationCode = body.path("enterprise").path("organisationCode").asString(null);
                    application.submittedAt = at;
                    byAccount.computeIfAbsent(application.submittedBy, account -> new ArrayList<>()).add(id);
                }
            }
            case APPLICATION_WITHDRAWN -> {
                if (application.withdrawnAt == null) {
                    application.withdrawnAt = at;
                }
            }
            case VERDICT_ISSUED -> {
                application.verdictRecords++;
                application.verdicts.putIfAbsent(ceId, new Verdict(ceId, body.path("revision").asInt(),
                        Agency.valueOf(body.path("agency").asString()), body.path("outcome").asString(),
                        body.path("decidedBy").path("kind").asString() + ":" + body.path("decidedBy").path("id").asString(), at));
            }
            case TELECOM_REGISTERED -> application.telecom.putIfAbsent(ceId, at);
            case CARDS_ISSUED -> {
                application.cardRecords++;
                application.cardSets.putIfAbsent(ceId, new CardSet(ceId, body.path("revision").asInt(),
                        body.path("legalPersonCard").path("cardNumber").asString(""), at, issuedAt(body, at)));
            }
        }
    }

    private static Instant issuedAt(JsonNode body, Instant otherwise) {
        try {
            return Instant.parse(body.path("issuedAt").asString());
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    /** Reservoir sampling over the services' own records, so the copies come from the whole run so far. */
    private void keepForDuplicates(ConsumerRecord<byte[], byte[]> record, String ceId) {
        serviceRecordsSeen++;
        Copy copy = new Copy(record.topic(), record.key(), record.value(), List.of(record.headers().toArray()), ceId);
        if (reservoir.size() < RESERVOIR) {
            reservoir.add(copy);
        } else {
            long slot = (long) (random.nextDouble() * serviceRecordsSeen);
            if (slot < RESERVOIR) {
                reservoir.set((int) slot, copy);
            }
        }
    }

    /** {@code count} of the services' records seen so far, picked at random (again, when there are fewer). */
    synchronized List<Copy> copies(int count) {
        List<Copy> picked = new ArrayList<>(count);
        for (int i = 0; i < count && !reservoir.isEmpty(); i++) {
            picked.add(reservoir.get(random.nextInt(reservoir.size())));
        }
        return picked;
    }

    /** Runs {@code reading} on the application, if the topics told of it, under the watcher's lock. */
    synchronized <T> Optional<T> inspect(UUID id, Function<Application, T> reading) {
        Application application = applications.get(id);
        return application == null ? Optional.empty() : Optional.ofNullable(reading.apply(application));
    }

    /** The applications submitted by {@code account}. */
    synchronized List<UUID> submittedBy(String account) {
        return List.copyOf(byAccount.getOrDefault(account, List.of()));
    }

    /** Runs {@code reading} on every application and dead letter at once, under the watcher's lock. */
    synchronized <T> T inspectAll(Function<Map<UUID, Application>, T> reading) {
        return reading.apply(applications);
    }

    synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    synchronized long recordsRead() {
        return recordsRead;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
