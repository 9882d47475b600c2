package cn.eport.messaging;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.EventType;
import cn.eport.contracts.SignedVerdict;
import cn.eport.contracts.Topics;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a record into a {@link ReceivedEvent}, or says in one line why it cannot: missing CloudEvents
 * headers, an unknown type, a body that is not JSON or fails the published schema, a key or subject
 * that is not the application, an event on a topic it may not appear on, a record of intake or
 * telecom without their signature ({@link RecordSignatures}), or a verdict whose signature does not verify. What this rejects goes to the dead-letter topic with that line.
 */
final class EventReader {

    private static final int MAX_SCHEMA_ERRORS_REPORTED = 5;

    private final JsonMapper json;
    private final VerdictSignatures signatures;
    private final RecordSignatures recordSignatures;
    private final Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);

    EventReader(JsonMapper json, VerdictSignatures signatures, RecordSignatures recordSignatures) {
        this.json = json;
        this.signatures = signatures;
        this.recordSignatures = recordSignatures;
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder ->
                builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        for (EventType type : EventType.values()) {
            schemas.put(type, registry.getSchema(SchemaLocation.of("classpath:" + type.schemaResource())));
        }
    }

    sealed interface Outcome permits Read, Unreadable {
    }

    record Read(ReceivedEvent event) implements Outcome {
    }

    record Unreadable(String reason) implements Outcome {
    }

    Outcome read(IncomingRecord record) {
        Map<String, String> headers = record.headers();
        for (String required : List.of(CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE,
                CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.TIME, CloudEventHeaders.SUBJECT)) {
            if (headers.get(required) == null || headers.get(required).isBlank()) {
                return new Unreadable("missing CloudEvents header " + required);
            }
        }
        if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(headers.get(CloudEventHeaders.SPEC_VERSION))) {
            return new Unreadable("unsupported CloudEvents spec version " + headers.get(CloudEventHeaders.SPEC_VERSION));
        }
        Instant time;
        try {
            time = Instant.parse(headers.get(CloudEventHeaders.TIME));
        } catch (DateTimeParseException e) {
            return new Unreadable("ce_time is not an RFC 3339 time: " + headers.get(CloudEventHeaders.TIME));
        }
        Optional<EventType> type = EventType.ofCeType(headers.get(CloudEventHeaders.TYPE));
        if (type.isEmpty()) {
            return new Unreadable("unknown event type " + headers.get(CloudEventHeaders.TYPE));
        }
        if (containsEscapedNul(record.value())) {
            return new Unreadable("body holds a U+0000 character, which no service can store");
        }
        JsonNode body;
        try {
            body = json.readTree(record.value());
        } catch (JacksonException e) {
            return new Unreadable("body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            return new Unreadable("body is not a JSON object");
        }
        List<Error> errors = schemas.get(type.get()).validate(body);
        if (!errors.isEmpty()) {
            return new Unreadable("body fails the schema of " + type.get().ceType() + ": " + errors.stream()
                    .limit(MAX_SCHEMA_ERRORS_REPORTED).map(Error::toString).collect(Collectors.joining("; ")));
        }
        ApplicationEvent event;
        try {
            event = json.treeToValue(body, type.get().recordType());
        } catch (JacksonException e) {
            return new Unreadable("body cannot be read as " + type.get().ceType() + ": " + e.getOriginalMessage());
        }
        String applicationId = event.applicationId().toString();
        if (!applicationId.equals(record.key())) {
            return new Unreadable("record key " + record.key() + " is not the application id " + applicationId);
        }
        if (!applicationId.equals(headers.get(CloudEventHeaders.SUBJECT))) {
            return new Unreadable("ce_subject " + headers.get(CloudEventHeaders.SUBJECT) + " is not the application id " + applicationId);
        }
        if (!Topics.of(event).equals(record.topic())) {
            return new Unreadable(type.get().ceType() + " does not belong on " + record.topic()
                    + (event instanceof SignedVerdict verdict ? " (it names agency " + verdict.agency() + ")" : ""));
        }
        Optional<String> unsigned = recordSignatures.problemWith(record);
        if (unsigned.isPresent()) {
            return new Unreadable(unsigned.get());
        }
        if (event instanceof SignedVerdict verdict) {
            Optional<String> forged = signatures.problemWith(verdict);
            if (forged.isPresent()) {
                return new Unreadable(forged.get());
            }
        }
        return new Read(new ReceivedEvent(headers.get(CloudEventHeaders.ID), type.get(), event, record.topic(),
                headers.get(CloudEventHeaders.SOURCE), time));
    }

    /** Whether the JSON text holds the escape {@code \\u0000} (an unescaped backslash, then u0000). */
    static boolean containsEscapedNul(byte[] json) {
        for (int i = 0; i + 5 < json.length; i++) {
            if (json[i] == '\\' && json[i + 1] == 'u' && json[i + 2] == '0' && json[i + 3] == '0' && json[i + 4] == '0'
                    && json[i + 5] == '0') {
                int backslashes = 0;
                for (int j = i - 1; j >= 0 && json[j] == '\\'; j--) {
                    backslashes++;
                }
                if (backslashes % 2 == 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
