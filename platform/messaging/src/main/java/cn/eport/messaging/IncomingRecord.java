package cn.eport.messaging;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka record as it arrived, before anything was made of it.
 *
 * @param headers header values decoded as UTF-8
 */
public record IncomingRecord(String topic, int partition, long offset, @Nullable String key,
        Map<String, String> headers, byte[] value) {

    /** The inbox key of a record that cannot be trusted to carry its own id: where it was read. */
    String positionKey() {
        return "kafka:" + topic + "/" + partition + "/" + offset;
    }
}
