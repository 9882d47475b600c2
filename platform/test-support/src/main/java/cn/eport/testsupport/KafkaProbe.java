package cn.eport.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads topics as an outside client would (its own consumer group, from the beginning) and writes
 * raw records as a careless or hostile producer would. For tests that watch what really reached
 * the broker.
 */
public final class KafkaProbe implements AutoCloseable {

    /** A record as read: headers decoded as UTF-8. */
    public record Record(String topic, int partition, long offset, String key, Map<String, String> headers, byte[] value) {

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Record> seen = new ArrayList<>();

    /**
     * @param client what a client needs to connect, for instance {@link TestInfrastructure.Endpoints#kafkaAdmin()}
     * @param topics what to read
     */
    public KafkaProbe(Map<String, Object> client, List<String> topics) {
        Properties consumerProps = new Properties();
        consumerProps.putAll(client);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerProps.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
        consumer = new KafkaConsumer<>(consumerProps);
        consumer.subscribe(topics);
        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(producerProps);
    }

    /** Polls until {@code done} holds for everything read so far, or fails after {@code timeout}. */
    public List<Record> awaitUntil(Predicate<List<Record>> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(List.copyOf(seen))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + timeout + "; read " + seen.size() + " records: "
                        + seen.stream().map(r -> r.topic() + "/" + r.key() + "/" + r.header("ce_type")).toList());
            }
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen);
    }

    /** Keeps reading for {@code quiet} and returns everything read: for asserting that nothing more arrives. */
    public List<Record> readFor(Duration quiet) {
        Instant until = Instant.now().plus(quiet);
        while (Instant.now().isBefore(until)) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(seen);
    }

    public List<Record> seen() {
        return List.copyOf(seen);
    }

    /** Sends a record exactly as given and waits for the broker to acknowledge it. */
    public void send(String topic, String key, Map<String, String> headers, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /**
     * Sends a record as {@code signer} (intake or telecom) would, signed with its development key: a
     * test standing in for that service. {@link #send} is a hand-published record, signed by nobody.
     */
    public void sendAs(String signer, String topic, String key, Map<String, String> headers, byte[] value) {
        send(topic, key, DevKeys.signedRecordHeaders(signer, topic, key, headers, value), value);
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
            seen.add(new Record(record.topic(), record.partition(), record.offset(), record.key(), headers,
                    record.value() == null ? new byte[0] : record.value()));
        }
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
    }
}
