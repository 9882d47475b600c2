package cn.eport.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * Unpacks what the Spring Cloud Stream Kafka binder hands a batch-mode consumer (one message whose
 * payload is the list of record values, with the per-record topic, partition, offset, key and
 * headers as parallel lists) into the records as they arrived.
 */
public final class KafkaBatch {

    private KafkaBatch() {
    }

    public static List<IncomingRecord> records(Message<List<byte[]>> batch) {
        MessageHeaders headers = batch.getHeaders();
        List<byte[]> values = batch.getPayload();
        List<?> topics = list(headers, KafkaHeaders.RECEIVED_TOPIC);
        List<?> partitions = list(headers, KafkaHeaders.RECEIVED_PARTITION);
        List<?> offsets = list(headers, KafkaHeaders.OFFSET);
        List<?> keys = list(headers, KafkaHeaders.RECEIVED_KEY);
        List<?> converted = list(headers, KafkaHeaders.BATCH_CONVERTED_HEADERS);
        List<?> natives = list(headers, KafkaHeaders.NATIVE_HEADERS);
        List<IncomingRecord> records = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Map<String, String> recordHeaders = new LinkedHashMap<>();
            if (i < converted.size() && converted.get(i) instanceof Map<?, ?> map) {
                map.forEach((name, value) -> recordHeaders.put(name.toString(), text(value)));
            } else if (i < natives.size() && natives.get(i) instanceof Headers raw) {
                for (Header header : raw) {
                    recordHeaders.put(header.key(), text(header.value()));
                }
            }
            records.add(new IncomingRecord(
                    String.valueOf(topics.get(i)),
                    ((Number) partitions.get(i)).intValue(),
                    ((Number) offsets.get(i)).longValue(),
                    i < keys.size() ? nullableText(keys.get(i)) : null,
                    recordHeaders,
                    values.get(i) == null ? new byte[0] : values.get(i)));
        }
        return records;
    }

    private static List<?> list(MessageHeaders headers, String name) {
        Object value = headers.get(name);
        return value instanceof List<?> list ? list : List.of();
    }

    private static @Nullable String nullableText(@Nullable Object value) {
        return value == null ? null : text(value);
    }

    private static String text(@Nullable Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(value);
    }
}
