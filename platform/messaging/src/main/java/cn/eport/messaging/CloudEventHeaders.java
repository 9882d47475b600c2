package cn.eport.messaging;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.EventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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

    public static final String DLT_REASON = "x-dlt-reason";
    public static final String DLT_ORIGINAL_TOPIC = "x-dlt-original-topic";
    public static final String DLT_ORIGINAL_PARTITION = "x-dlt-original-partition";
    public static final String DLT_ORIGINAL_OFFSET = "x-dlt-original-offset";
    public static final String DLT_CONSUMER_GROUP = "x-dlt-consumer-group";

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
        return headers;
    }
}
