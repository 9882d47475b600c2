package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.Topics;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Guarantee 1, publishing side: an event exists exactly when its transaction committed, and reaches Kafka after. */
@MessagingTest
class OutboxRelayTest {

    @Autowired
    Outbox outbox;
    @Autowired
    OutboxRelay relay;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JdbcClient jdbc;

    KafkaProbe probe;

    @BeforeEach
    void watchTheTopic() {
        relayEverything();
        probe = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.CARDS));
    }

    @AfterEach
    void stopWatching() {
        jdbc.sql("DROP TRIGGER IF EXISTS crash_before_delete ON outbox").update();
        probe.close();
    }

    @Test
    void anEventCommittedWhileTheRelayIsDownReachesKafkaWhenTheRelayComesBack() {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));

        assertThat(forApplication(probe.readFor(Duration.ofSeconds(1)), application)).isEmpty();
        assertThat(pending()).isEqualTo(1);

        relayEverything();

        List<KafkaProbe.Record> sent = forApplication(probe.awaitUntil(seen -> !forApplication(seen, application).isEmpty(),
                Duration.ofSeconds(20)), application);
        assertThat(sent).hasSize(1);
        KafkaProbe.Record record = sent.get(0);
        assertThat(record.header("ce_type")).isEqualTo("cn.eport.cards.issued.v1");
        assertThat(record.header("ce_source")).isEqualTo("/eport/messaging-test");
        assertThat(record.header("ce_specversion")).isEqualTo("1.0");
        assertThat(record.header("ce_subject")).isEqualTo(application.toString());
        assertThat(record.header("ce_id")).isNotBlank();
        assertThat(record.header("ce_time")).isNotBlank();
        assertThat(pending()).isZero();
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        UUID application = UUID.randomUUID();
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            outbox.publish(Events.cards(application, 1));
            throw new IllegalStateException("the state change failed");
        })).hasMessage("the state change failed");

        assertThat(relay.relayBatch()).isZero();
        assertThat(forApplication(probe.readFor(Duration.ofSeconds(1)), application)).isEmpty();
    }

    @Test
    void aCrashBetweenSendAndDeleteSendsTheSameEventAgainUnderTheSameId() {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));
        // The relay dies after the broker acknowledged the batch but before it forgot the rows.
        jdbc.sql("""
                CREATE OR REPLACE FUNCTION crash() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'relay killed between send and delete'; END $$""").update();
        jdbc.sql("CREATE TRIGGER crash_before_delete BEFORE DELETE ON outbox FOR EACH ROW EXECUTE FUNCTION crash()").update();

        assertThatThrownBy(relay::relayBatch).hasStackTraceContaining("relay killed between send and delete");
        assertThat(pending()).isEqualTo(1);

        jdbc.sql("DROP TRIGGER crash_before_delete ON outbox").update();
        relayEverything();

        List<KafkaProbe.Record> sent = forApplication(probe.awaitUntil(seen -> forApplication(seen, application).size() == 2,
                Duration.ofSeconds(20)), application);
        assertThat(sent).extracting(r -> r.header("ce_id")).containsOnly(sent.get(0).header("ce_id"));
        assertThat(pending()).isZero();
    }

    @Test
    void oneApplicationsEventsReachOnePartitionInTheOrderTheyWereCommitted() {
        UUID application = UUID.randomUUID();
        for (int revision = 1; revision <= 5; revision++) {
            int committed = revision;
            transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, committed)));
        }
        relayEverything();

        List<KafkaProbe.Record> sent = forApplication(probe.awaitUntil(seen -> forApplication(seen, application).size() == 5,
                Duration.ofSeconds(20)), application);
        assertThat(sent).extracting(KafkaProbe.Record::partition).containsOnly(sent.get(0).partition());
        assertThat(sent).extracting(r -> r.text().replaceAll(".*\"revision\":(\\d+).*", "$1"))
                .containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void anEventIsStoredOnceInItsDecisionLogEntryAndTheRelaySendsThatEntrysBytes() {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));

        assertThat(jdbc.sql("""
                        SELECT o.headers IS NULL AND o.payload IS NULL AND d.seq IS NOT NULL FROM outbox o
                        LEFT JOIN decision_log d ON d.lane = o.decision_lane AND d.seq = o.decision_seq WHERE o.record_key = ?""")
                .param(application.toString()).query(Boolean.class).single()).isTrue();
        byte[] logged = jdbc.sql("SELECT payload FROM decision_log WHERE record_key = ?").param(application.toString())
                .query(byte[].class).single();
        relayEverything();

        List<KafkaProbe.Record> sent = forApplication(probe.awaitUntil(seen -> !forApplication(seen, application).isEmpty(),
                Duration.ofSeconds(20)), application);
        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(logged);
            assertThat(record.header("ce_type")).isEqualTo("cn.eport.cards.issued.v1");
        });
    }

    @Test
    void aRecordTheBrokerRefusesForGoodIsSetAsideWholeAndTheRowsBehindItAreSent() {
        UUID application = UUID.randomUUID();
        byte[] tooLarge = new byte[2 * 1024 * 1024];
        transaction.executeWithoutResult(status -> {
            outbox.publishAsIs(Topics.CARDS, "too-large-" + application, Map.of("ce_id", "too-large"), tooLarge);
            outbox.publish(Events.cards(application, 1));
        });

        relayEverything();

        assertThat(forApplication(probe.awaitUntil(seen -> !forApplication(seen, application).isEmpty(), Duration.ofSeconds(20)),
                application)).hasSize(1);
        assertThat(jdbc.sql("SELECT length(payload) || ' ' || reason FROM outbox_rejected WHERE record_key = ?")
                .param("too-large-" + application).query(String.class).single())
                .startsWith(tooLarge.length + " the broker refused it for good: RecordTooLargeException");
        assertThat(pending()).isZero();
    }

    @Test
    void aRowWhoseDecisionLogEntryWasDeletedIsSetAsideAndDoesNotStopTheRelay() {
        UUID gone = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(gone, 1)));
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(next, 1)));
        // Someone with database access removes the entry before the relay sent it.
        jdbc.sql("UPDATE outbox SET decision_seq = decision_seq + 1000000 WHERE record_key = ?").param(gone.toString()).update();

        relayEverything();

        assertThat(forApplication(probe.awaitUntil(seen -> !forApplication(seen, next).isEmpty(), Duration.ofSeconds(20)), next))
                .hasSize(1);
        assertThat(jdbc.sql("SELECT reason FROM outbox_rejected WHERE record_key = ?").param(gone.toString())
                .query(String.class).single()).startsWith("its decision log entry is missing");
        assertThat(pending()).isZero();
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        assertThatIllegalStateException().isThrownBy(() -> outbox.publish(Events.cards(UUID.randomUUID(), 1)))
                .withMessageContaining("transaction");
    }

    private void relayEverything() {
        while (relay.relayBatch() > 0) {
            // until the outbox is empty
        }
    }

    /** The events waiting, without the decision log's seals, which the service makes on its own schedule. */
    private int pending() {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE topic NOT LIKE 'eport.seals.%'").query(Integer.class).single();
    }

    private static List<KafkaProbe.Record> forApplication(List<KafkaProbe.Record> records, UUID application) {
        return records.stream().filter(r -> application.toString().equals(r.key())).toList();
    }
}
