package cn.eport.sandbox.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The load generator's bookkeeping on a real broker: an application counts as decided at its sixth
 * final verdict, once, whether the verdicts come before or after intake's answer, whatever copies
 * and referrals come with them, and its card set counts once.
 */
class FlightsTest {

    private static final Map<String, Object> KAFKA = TestInfrastructure.endpoints().kafkaAdmin();

    @BeforeAll
    static void topicsExist() throws Exception {
        Properties config = new Properties();
        config.putAll(KAFKA);
        List<NewTopic> topics = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            topics.add(new NewTopic(Topics.verdicts(agency), 6, (short) 1));
        }
        topics.add(new NewTopic(Topics.CARDS, 6, (short) 1));
        try (Admin admin = Admin.create(config)) {
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Test
    void anApplicationIsDecidedOnceAtItsSixthFinalVerdictWhetherItsAnswerCameFirstOrLast() throws Exception {
        List<Flights.Flight> approved = new CopyOnWriteArrayList<>();
        Flights.Phase phase = new Flights.Phase("test");
        try (Flights flights = new Flights(KAFKA, approved::add); KafkaProducer<String, byte[]> producer = producer()) {
            String early = UUID.randomUUID().toString();
            String late = UUID.randomUUID().toString();
            String rejected = UUID.randomUUID().toString();
            Flights.Flight lateFlight = new Flights.Flight(phase, System.nanoTime(), "slip-late", "M000100Y-4");
            flights.accepted(late, lateFlight, System.nanoTime());

            // The early one's verdicts all arrive before intake's answer does; the late one's after, with a
            // referral before its reviewer's approval and one verdict published twice.
            for (Agency agency : Agency.values()) {
                send(producer, Topics.verdicts(agency), early, "APPROVED");
                if (agency == Agency.COMMERCE) {
                    send(producer, Topics.verdicts(agency), late, "REFERRED");
                }
                send(producer, Topics.verdicts(agency), late, "APPROVED");
            }
            send(producer, Topics.verdicts(Agency.TAX), late, "APPROVED");
            send(producer, Topics.verdicts(Agency.QUALITY), rejected, "REJECTED");
            producer.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> phase.verdictsComplete.get() == 1);
            Thread.sleep(500);

            flights.accepted(early, new Flights.Flight(phase, System.nanoTime(), "slip-early", "M000100Y-4"), System.nanoTime());
            flights.accepted(rejected, new Flights.Flight(phase, System.nanoTime(), "slip-rejected", "M000100Y-4"), System.nanoTime());
            await().atMost(Duration.ofSeconds(20)).until(() -> phase.verdictsComplete.get() == 2 && phase.rejectedCount.get() == 1);

            send(producer, Topics.CARDS, late, "{}");
            send(producer, Topics.CARDS, late, "{}");
            producer.flush();
            await().atMost(Duration.ofSeconds(20)).until(() -> phase.cardsComplete.get() == 1);
            Thread.sleep(500);

            assertThat(phase.verdictsComplete.get()).isEqualTo(2);
            assertThat(phase.rejectedCount.get()).isEqualTo(1);
            assertThat(phase.cardsComplete.get()).isEqualTo(1);
            assertThat(approved).extracting(flight -> flight.slipNumber).containsExactlyInAnyOrder("slip-late", "slip-early");
            assertThat(phase.drain().getTotalCount()).isEqualTo(2);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, String outcome) {
        String value = outcome.startsWith("{") ? outcome : "{\"outcome\":\"" + outcome + "\"}";
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new HashMap<>(KAFKA);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }
}
