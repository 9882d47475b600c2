package cn.eport.intake;

import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.IncomingRecord;
import cn.eport.messaging.KafkaBatch;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows every service's dead-letter topic for quarantined records that name an application
 * intake holds, so that the applicant's status and timeline say which service could not process
 * it (and, after the replay, that it went on), rather than the application waiting in silence.
 * Only the service and the kind of event are shown: why it failed is for ops, on the dashboard.
 *
 * <p>Dead letters are not our CloudEvents, so a plain consumer reads their headers; each notice is
 * recorded once by (service, event key), so redelivery changes nothing, and a header it cannot use
 * is skipped rather than failing the batch.
 */
@Configuration(proxyBeanMethods = false)
class ProcessingProblems {

    private static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    /** One service's problem with one of the application's events, open until it is replayed. */
    record Problem(String service, @Nullable String eventType, Instant noticedAt, @Nullable Instant resolvedAt) {
    }

    @Bean
    Consumer<Message<List<byte[]>>> recordProcessingProblems(JdbcClient jdbc, Timeline timeline, TransactionTemplate transaction,
            Clock clock) {
        return batch -> transaction.executeWithoutResult(status -> record(KafkaBatch.records(batch), jdbc, timeline, clock));
    }

    static List<Problem> of(JdbcClient jdbc, UUID applicationId) {
        return jdbc.sql("""
                        SELECT service, event_type, noticed_at, resolved_at FROM processing_problems
                        WHERE application_id = ? ORDER BY noticed_at, service""")
                .param(applicationId)
                .query((rs, n) -> new Problem(rs.getString("service"), rs.getString("event_type"),
                        rs.getTimestamp("noticed_at").toInstant(),
                        rs.getTimestamp("resolved_at") == null ? null : rs.getTimestamp("resolved_at").toInstant()))
                .list();
    }

    private static void record(List<IncomingRecord> records, JdbcClient jdbc, Timeline timeline, Clock clock) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Map.Entry<UUID, Timeline.Entry>> entries = new ArrayList<>();
        for (IncomingRecord record : records) {
            Map<String, String> headers = record.headers();
            String kind = headers.get(CloudEventHeaders.DLT_KIND);
            String service = headers.get(CloudEventHeaders.DLT_CONSUMER_GROUP);
            String eventKey = headers.get(CloudEventHeaders.DLT_EVENT_KEY);
            Optional<UUID> application = uuid(headers.get(CloudEventHeaders.DLT_APPLICATION_ID));
            if (application.isEmpty() || service == null || !SERVICE.matcher(service).matches() || eventKey == null
                    || eventKey.isBlank() || eventKey.length() > 200) {
                continue;
            }
            String eventType = bounded(headers.get(CloudEventHeaders.TYPE));
            if (CloudEventHeaders.DLT_KIND_QUARANTINED.equals(kind)) {
                int noticed = jdbc.sql("""
                                INSERT INTO processing_problems (service, event_key, application_id, event_type, noticed_at)
                                SELECT ?, ?, id, ?, ? FROM applications WHERE id = ?
                                ON CONFLICT DO NOTHING""")
                        .params(service, eventKey, eventType, Timestamp.from(now), application.get()).update();
                if (noticed > 0) {
                    entries.add(Map.entry(application.get(), new Timeline.Entry(now, "NOT_PROCESSED", null, service,
                            detail(service, eventType, "could not be processed; the liaison office is alerted and will replay it"))));
                }
            } else if (CloudEventHeaders.DLT_KIND_REPLAYED.equals(kind)) {
                Optional<String> type = jdbc.sql("""
                                UPDATE processing_problems SET resolved_at = ?
                                WHERE service = ? AND event_key = ? AND resolved_at IS NULL RETURNING coalesce(event_type, '')""")
                        .params(Timestamp.from(now), service, eventKey).query(String.class).optional();
                type.ifPresent(t -> entries.add(Map.entry(application.get(), new Timeline.Entry(now, "PROCESSED_AFTER_REPLAY", null,
                        service, detail(service, t.isEmpty() ? null : t, "was processed after the replay")))));
            }
        }
        timeline.appendAll(entries);
    }

    private static Map<String, Object> detail(String service, @Nullable String eventType, String note) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("service", service);
        if (eventType != null) {
            detail.put("eventType", eventType);
        }
        detail.put("note", note);
        return detail;
    }

    private static Optional<UUID> uuid(@Nullable String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static @Nullable String bounded(@Nullable String text) {
        return text == null || text.length() <= 100 ? text : text.substring(0, 100);
    }
}
