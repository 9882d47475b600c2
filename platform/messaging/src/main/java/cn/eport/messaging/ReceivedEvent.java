package cn.eport.messaging;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.EventType;
import java.time.Instant;

/**
 * An event that was read, validated against its schema and, for verdicts, verified.
 *
 * @param eventId the CloudEvents id, by which it is deduplicated
 * @param time    the CloudEvents time: when its producer published it
 */
public record ReceivedEvent(String eventId, EventType type, ApplicationEvent event, String topic, String source,
        Instant time) {
}
