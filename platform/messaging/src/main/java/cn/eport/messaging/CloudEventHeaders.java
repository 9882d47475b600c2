package cn.eport.messaging;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** CloudEvents 1.0 attributes in Kafka binary mode, and the headers of a dead letter. */
public final class CloudEventHeaders {

    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    /**
     * W3C trace context. The trace id of every event about an application is the application id
     * itself (128 bits, as a trace id is), so one trace follows an application through every
     * service and every topic without any service having to remember it; each hop is a new span.
     */
    public static final String TRACEPARENT = "traceparent";

    public static final String DLT_REASON = "x-dlt-reason";
    public static final String DLT_ORIGINAL_TOPIC = "x-dlt-original-topic";
    public static final String DLT_ORIGINAL_PARTITION = "x-dlt-original-partition";
    public static final String DLT_ORIGINAL_OFFSET = "x-dlt-original-offset";
    public static final String DLT_CONSUMER_GROUP = "x-dlt-consumer-group";
    /** {@link #DLT_KIND_UNREADABLE}, {@link #DLT_KIND_QUARANTINED} or {@link #DLT_KIND_REPLAYED}. */
    public static final String DLT_KIND = "x-dlt-kind";
    public static final String DLT_EXCEPTION = "x-dlt-exception";
    /** A short hash of the failure's exception class and stack frames: the same bug, the same hash. */
    public static final String DLT_STACK_HASH = "x-dlt-stack-hash";
    public static final String DLT_APPLICATION_ID = "x-dlt-application-id";
    /** The key the record was quarantined under (its ce_id, or where it was read): what a replay names. */
    public static final String DLT_EVENT_KEY = "x-dlt-event-key";
    public static final String DLT_ATTEMPTS = "x-dlt-attempts";
    /** Set when the dead letter carries only the first part of the original value: its full length in bytes. */
    public static final String DLT_TRUNCATED_FROM = "x-dlt-truncated-from";

    /** The record could not be read as one of our events (headers, JSON, schema, signature): nothing to replay. */
    public static final String DLT_KIND_UNREADABLE = "UNREADABLE";
    /** The record was read, but its handling failed on every attempt: set aside, replayable by ops. */
    public static final String DLT_KIND_QUARANTINED = "QUARANTINED";
    /** A quarantined record was replayed and handled: its quarantine is over. The value is empty. */
    public static final String DLT_KIND_REPLAYED = "REPLAYED";

    private CloudEventHeaders() {
    }

    /** The headers of {@code event}: its subject is its application id, its type that of its record. */
    public static Map<String, String> of(ApplicationEvent event, String eventId, String source, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID, eventId);
        headers.put(TYPE, EventType.of(event).ceType());
        headers.put(SOURCE, source);
        headers.put(SPEC_VERSION, SPEC_VERSION_1_0);
        headers.put(TIME, time.toString());
        headers.put(SUBJECT, event.applicationId().toString());
        headers.put(CONTENT_TYPE, JSON);
        headers.put(TRACEPARENT, traceparent(event.applicationId()));
        return headers;
    }

    /** The trace id of an application: its id, as 32 hex digits. */
    public static String traceId(UUID applicationId) {
        return applicationId.toString().replace("-", "");
    }

    private static String traceparent(UUID applicationId) {
        long spanId = ThreadLocalRandom.current().nextLong();
        return "00-" + traceId(applicationId) + "-" + String.format("%016x", spanId == 0 ? 1 : spanId) + "-01";
    }
}
