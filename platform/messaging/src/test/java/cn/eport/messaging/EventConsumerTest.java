package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.RecordSignature;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.testsupport.DevKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Guarantees 1, 2 and 5, consuming side: a batch's effects and its event ids commit together,
 * an event seen before changes nothing, and a record that cannot be trusted goes to the dead-letter
 * topic with its reason while the rest of the batch goes on.
 */
@MessagingTest
class EventConsumerTest {

    private static final AtomicLong OFFSETS = new AtomicLong(1_000_000);

    @Autowired
    EventConsumer consumer;
    /** Signs as the quality agency would; the service under test only verifies. */
    final VerdictSignatures signatures = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf("quality"), Map.of()));
    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;

    final List<ReceivedEvent> handled = new ArrayList<>();

    @BeforeEach
    void forgetPendingDeadLetters() {
        jdbc.sql("DELETE FROM outbox").update();
    }

    @Test
    void anEventDeliveredThreeTimesReachesTheHandlerOnce() {
        IncomingRecord record = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());

        consumer.consume(List.of(record, copyAtNextOffset(record)), handled::addAll);
        consumer.consume(List.of(copyAtNextOffset(record)), handled::addAll);

        assertThat(handled).hasSize(1);
    }

    @Test
    void whenTheDatabaseGoesAwayMidBatchNeitherTheEffectsNorTheEventIdsCommitAndTheRedeliveryIsHandled() {
        jdbc.sql("CREATE TABLE IF NOT EXISTS effects (event text)").update();
        IncomingRecord record = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());
        String effect = "half done " + record.headers().get("ce_id");

        assertThatThrownBy(() -> consumer.consume(List.of(record), events -> {
            jdbc.sql("INSERT INTO effects VALUES (?)").param(effect).update();
            throw new CannotGetJdbcConnectionException("database went away mid-batch");
        })).hasMessage("database went away mid-batch");
        assertThat(jdbc.sql("SELECT count(*) FROM effects WHERE event = ?").param(effect).query(Integer.class).single()).isZero();
        assertThat(inboxHas(record)).isFalse();
        assertThat(quarantined(record)).isZero();

        consumer.consume(List.of(record), handled::addAll);

        assertThat(handled).hasSize(1);
    }

    @Test
    void aRecordWhoseHandlingFailsEveryTimeIsQuarantinedWithItsReasonAndTheRestOfTheBatchCommits() {
        IncomingRecord first = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());
        UUID poisoned = UUID.randomUUID();
        IncomingRecord poison = record(Topics.APPLICATIONS, Events.submitted(poisoned, 1), UUID.randomUUID().toString());
        IncomingRecord last = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());

        consumer.consume(List.of(first, poison, last), failingOn(poisoned));

        assertThat(handled).extracting(e -> e.event().applicationId())
                .containsExactly(UUID.fromString(first.key()), UUID.fromString(last.key()));
        assertThat(inboxHas(first)).isTrue();
        assertThat(inboxHas(poison)).isFalse();
        Map<String, Object> row = jdbc.sql("SELECT * FROM quarantine WHERE event_key = ?").param(poison.headers().get("ce_id"))
                .query().singleRow();
        assertThat(row.get("application_id")).isEqualTo(poisoned.toString());
        assertThat(row.get("binding")).isEqualTo(EventConsumer.DIRECT);
        assertThat(row.get("attempts")).isEqualTo(3);
        assertThat(row.get("exception_class")).isEqualTo(IllegalArgumentException.class.getName());
        assertThat((String) row.get("reason")).isEqualTo("IllegalArgumentException: cannot process " + poisoned);
        assertThat((String) row.get("stack_hash")).matches("[0-9a-f]{12}");
        List<Map<String, Object>> deadLetters = deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat((String) deadLetters.get(0).get("headers")).contains("\"x-dlt-kind\": \"QUARANTINED\"",
                "\"x-dlt-application-id\": \"" + poisoned + "\"", "\"x-dlt-stack-hash\": \"" + row.get("stack_hash") + "\"",
                "\"x-dlt-exception\": \"java.lang.IllegalArgumentException\"", "\"x-dlt-consumer-group\": \"messaging-test\"");
    }

    @Test
    void aFailureThatDoesNotRepeatIsNotAPoison() {
        IncomingRecord record = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());
        AtomicLong failures = new AtomicLong();

        consumer.consume(List.of(record), events -> {
            if (failures.getAndIncrement() < 2) {
                throw new IllegalStateException("a race with another instance, lost once");
            }
            handled.addAll(events);
        });

        assertThat(handled).hasSize(1);
        assertThat(quarantined(record)).isZero();
    }

    @Test
    void aQuarantinedRecordDeliveredAgainIsNotQuarantinedTwice() {
        UUID poisoned = UUID.randomUUID();
        IncomingRecord poison = record(Topics.APPLICATIONS, Events.submitted(poisoned, 1), UUID.randomUUID().toString());

        consumer.consume(List.of(poison), failingOn(poisoned));
        consumer.consume(List.of(copyAtNextOffset(poison)), failingOn(poisoned));

        assertThat(quarantined(poison)).isOne();
        assertThat(deadLetters()).hasSize(1);
    }

    @Test
    void onceTheCauseIsFixedAReplayHandlesTheQuarantinedRecordOnceAndAnnouncesIt() {
        UUID poisoned = UUID.randomUUID();
        IncomingRecord poison = record(Topics.APPLICATIONS, Events.submitted(poisoned, 1), UUID.randomUUID().toString());
        AtomicBoolean fixed = new AtomicBoolean();
        java.util.function.Consumer<List<ReceivedEvent>> handler = events -> {
            if (!fixed.get() && events.stream().anyMatch(e -> e.event().applicationId().equals(poisoned))) {
                throw new IllegalArgumentException("cannot process " + poisoned);
            }
            handled.addAll(events);
        };
        consumer.consume(List.of(poison), handler);
        String key = poison.headers().get("ce_id");

        EventConsumer.ReplayOutcome stillBroken = consumer.replay(List.of(key));
        fixed.set(true);
        EventConsumer.ReplayOutcome replayed = consumer.replay(List.of(key));
        EventConsumer.ReplayOutcome again = consumer.replay(List.of(key));
        consumer.consume(List.of(copyAtNextOffset(poison)), handler);

        assertThat(stillBroken.failed()).extracting(EventConsumer.ReplayOutcome.Failure::eventKey).containsExactly(key);
        assertThat(replayed.replayed()).containsExactly(key);
        assertThat(again.notQuarantined()).containsExactly(key);
        assertThat(handled).extracting(e -> e.event().applicationId()).containsExactly(poisoned);
        Map<String, Object> row = jdbc.sql("SELECT replayed_at, replay_attempts FROM quarantine WHERE event_key = ?").param(key)
                .query().singleRow();
        assertThat(row.get("replayed_at")).isNotNull();
        assertThat(row.get("replay_attempts")).isEqualTo(2);
        assertThat(deadLetters()).extracting(r -> (String) r.get("headers"))
                .anyMatch(h -> h.contains("\"x-dlt-kind\": \"REPLAYED\"") && h.contains(key));
    }

    @Test
    void aBodyHoldingANulCharacterIsDeadLetteredBecauseNoServiceCanStoreIt() {
        UUID application = UUID.randomUUID();
        ObjectNode body = json.valueToTree(Events.submitted(application, 1));
        ((ObjectNode) body.get("enterprise")).put("name", "榕城\u0000贸易");
        IncomingRecord record = withValue(record(Topics.APPLICATIONS, Events.submitted(application, 1), UUID.randomUUID().toString()),
                json.writeValueAsString(body));

        consumer.consume(List.of(record), handled::addAll);

        assertThat(handled).isEmpty();
        assertThat(deadLetters()).extracting(r -> (String) r.get("headers"))
                .singleElement().asString().contains("U+0000", "\"x-dlt-kind\": \"UNREADABLE\"");
    }

    @Test
    void aSubmissionPublishedByHandWithoutIntakesSignatureIsDeadLetteredAndCountsForNothing() {
        IncomingRecord signed = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());
        Map<String, String> unsigned = new LinkedHashMap<>(signed.headers());
        unsigned.remove(RecordSignature.HEADER);
        IncomingRecord byHand = new IncomingRecord(signed.topic(), 0, OFFSETS.incrementAndGet(), signed.key(), unsigned, signed.value());
        // the same signature on a changed submission (an operator card holder added, say) is no better
        IncomingRecord altered = withValue(signed, new String(signed.value(), StandardCharsets.UTF_8).replace("\"revision\":1", "\"revision\":2"));

        consumer.consume(List.of(byHand, altered), handled::addAll);

        assertThat(handled).isEmpty();
        assertThat(deadLetters()).extracting(r -> (String) r.get("headers")).satisfiesExactly(
                h -> assertThat(h).contains("is not signed (x-eport-signature): only intake writes there"),
                h -> assertThat(h).contains("record signature does not verify with the public key of intake"));
    }

    private java.util.function.Consumer<List<ReceivedEvent>> failingOn(UUID application) {
        return events -> {
            if (events.stream().anyMatch(e -> e.event().applicationId().equals(application))) {
                throw new IllegalArgumentException("cannot process " + application);
            }
            handled.addAll(events);
        };
    }

    private boolean inboxHas(IncomingRecord record) {
        return jdbc.sql("SELECT count(*) FROM inbox WHERE event_key = ?").param(record.headers().get("ce_id"))
                .query(Integer.class).single() > 0;
    }

    private int quarantined(IncomingRecord record) {
        return jdbc.sql("SELECT count(*) FROM quarantine WHERE event_key = ?").param(record.headers().get("ce_id"))
                .query(Integer.class).single();
    }

    @Test
    void aRecordThatIsNotJsonIsDeadLetteredWithItsReasonAndTheRestOfTheBatchIsHandled() {
        IncomingRecord good = record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString());
        IncomingRecord bad = withValue(record(Topics.APPLICATIONS, Events.submitted(UUID.randomUUID(), 1), UUID.randomUUID().toString()),
                "{not json");

        consumer.consume(List.of(bad, good), handled::addAll);
        consumer.consume(List.of(bad), handled::addAll); // redelivered: dead-lettered once only

        assertThat(handled).hasSize(1);
        List<Map<String, Object>> deadLetters = deadLetters();
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).get("topic")).isEqualTo("eport.dlt.messaging-test");
        assertThat((String) deadLetters.get(0).get("headers")).contains("\"x-dlt-reason\": \"body is not valid JSON",
                "\"x-dlt-original-topic\": \"eport.applications\"", "\"x-dlt-original-offset\": \"" + bad.offset() + "\"");
        assertThat(new String((byte[]) deadLetters.get(0).get("payload"), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }

    @Test
    void everyKindOfUntrustworthyRecordIsDeadLetteredWithItsOwnReason() {
        UUID application = UUID.randomUUID();
        IncomingRecord valid = record(Topics.APPLICATIONS, Events.submitted(application, 1), UUID.randomUUID().toString());
        ObjectNode noRevision = json.valueToTree(Events.submitted(application, 1));
        noRevision.remove("revision");
        ObjectNode wholeIdNumber = json.valueToTree(Events.submitted(application, 1));
        ((ObjectNode) wholeIdNumber.get("legalRepresentative")).put("maskedIdNumber", "11010519491231002X");
        VerdictIssued signed = signatures.sign(Events.unsignedVerdict(application, Agency.QUALITY, Outcome.APPROVED));
        VerdictIssued forged = Events.unsignedVerdict(application, Agency.TAX, Outcome.APPROVED).withSignature(signed.signature());

        Map<String, IncomingRecord> cases = new LinkedHashMap<>();
        cases.put("missing CloudEvents header ce_id", withoutHeader(valid, "ce_id"));
        cases.put("unknown event type", withHeader(valid, "ce_type", "cn.eport.application.teleported.v1"));
        cases.put("body fails the schema", withValue(valid, json.writeValueAsString(noRevision)));
        cases.put("body fails the schema of cn.eport.application.submitted.v1: /legalRepresentative/maskedIdNumber",
                withValue(valid, json.writeValueAsString(wholeIdNumber)));
        cases.put("record key", withKey(valid, UUID.randomUUID().toString()));
        cases.put("does not belong on eport.verdicts.tax (it names agency QUALITY)",
                retopic(record(Topics.verdicts(Agency.QUALITY), signed, UUID.randomUUID().toString()), Topics.verdicts(Agency.TAX)));
        cases.put("signature does not verify with the public key of agency TAX",
                record(Topics.verdicts(Agency.TAX), forged, UUID.randomUUID().toString()));

        consumer.consume(List.copyOf(cases.values()), handled::addAll);

        assertThat(handled).isEmpty();
        List<String> reasons = deadLetters().stream().map(row -> (String) row.get("headers")).toList();
        assertThat(reasons).hasSize(cases.size());
        List<String> expected = List.copyOf(cases.keySet());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(reasons.get(i)).contains(expected.get(i));
        }
    }

    @Test
    void aSignedVerdictOnItsAgencysTopicIsHandled() {
        VerdictIssued verdict = signatures.sign(Events.unsignedVerdict(UUID.randomUUID(), Agency.QUALITY, Outcome.REJECTED));

        consumer.consume(List.of(record(Topics.verdicts(Agency.QUALITY), verdict, UUID.randomUUID().toString())), handled::addAll);

        assertThat(handled).extracting(ReceivedEvent::event).containsExactly(verdict);
    }

    @Test
    void readersIgnoreFieldsTheyDoNotKnow() {
        assertThat(json.isEnabled(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
                .as("the services' strict mapper").isTrue();
        ObjectNode later = json.valueToTree(Events.submitted(UUID.randomUUID(), 1));
        later.put("addedInALaterVersion", true);
        ((ObjectNode) later.get("enterprise")).put("addedInALaterVersionToo", "x");
        IncomingRecord record = record(Topics.APPLICATIONS, Events.submitted(UUID.fromString(later.get("applicationId").asString()), 1),
                UUID.randomUUID().toString(), json.writeValueAsBytes(later));

        consumer.consume(List.of(record), handled::addAll);

        assertThat(handled).hasSize(1);
        assertThat(deadLetters()).isEmpty();
    }

    private List<Map<String, Object>> deadLetters() {
        return jdbc.sql("SELECT topic, headers::text AS headers, payload FROM outbox WHERE topic LIKE 'eport.dlt.%' ORDER BY id")
                .query().listOfRows();
    }

    /** The record as its writer publishes it: signed by intake or telecom where their topic wants it. */
    private IncomingRecord record(String topic, ApplicationEvent event, String eventId) {
        return record(topic, event, eventId, json.writeValueAsBytes(event));
    }

    /** As {@link #record(String, ApplicationEvent, String)}, with {@code value} for the body its writer signed. */
    private IncomingRecord record(String topic, ApplicationEvent event, String eventId, byte[] value) {
        String key = event.applicationId().toString();
        Map<String, String> headers = CloudEventHeaders.of(event, eventId, "/eport/test", Instant.now());
        return new IncomingRecord(topic, 0, OFFSETS.incrementAndGet(), key, DevKeys.signedAsTopicWriter(topic, key, headers, value), value);
    }

    private static IncomingRecord copyAtNextOffset(IncomingRecord r) {
        return new IncomingRecord(r.topic(), r.partition(), OFFSETS.incrementAndGet(), r.key(), r.headers(), r.value());
    }

    private static IncomingRecord withValue(IncomingRecord r, String value) {
        return new IncomingRecord(r.topic(), r.partition(), OFFSETS.incrementAndGet(), r.key(), r.headers(),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static IncomingRecord withKey(IncomingRecord r, String key) {
        return new IncomingRecord(r.topic(), r.partition(), OFFSETS.incrementAndGet(), key, r.headers(), r.value());
    }

    private static IncomingRecord retopic(IncomingRecord r, String topic) {
        return new IncomingRecord(topic, r.partition(), OFFSETS.incrementAndGet(), r.key(), r.headers(), r.value());
    }

    private static IncomingRecord withHeader(IncomingRecord r, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put(name, value);
        return new IncomingRecord(r.topic(), r.partition(), OFFSETS.incrementAndGet(), r.key(), headers, r.value());
    }

    private static IncomingRecord withoutHeader(IncomingRecord r, String name) {
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.remove(name);
        return new IncomingRecord(r.topic(), r.partition(), OFFSETS.incrementAndGet(), r.key(), headers, r.value());
    }
}
