package cn.eport.intake;

import cn.eport.contracts.PersonalDataRead;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.ReceivedEvent;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The log of who read whose personal data, from every service's {@code eport.reads.<service>}: kept
 * here, where the enterprise already looks, for {@link IntakeSettings.PersonalDataReads#retention()}.
 */
@Configuration(proxyBeanMethods = false)
class PersonalDataReadLog {

    private static final Logger log = LoggerFactory.getLogger(PersonalDataReadLog.class);
    private static final int FORGET_CHUNK = 10_000;

    /** One read, as OPS and the enterprise see it. */
    record Read(UUID applicationId, String service, String reader, List<String> readerRoles, @Nullable String readerAgency,
            List<String> fields, String what, Instant readAt) {
    }

    private final JdbcClient jdbc;
    private final IntakeSettings settings;
    private final Clock clock;

    PersonalDataReadLog(JdbcClient jdbc, IntakeSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    @Bean
    Consumer<Message<List<byte[]>>> recordPersonalDataReads(EventConsumer consumer, JdbcTemplate jdbc) {
        return consumer.binding("recordPersonalDataReads", events -> {
            List<Object[]> rows = events.stream().filter(e -> e.event() instanceof PersonalDataRead).map(PersonalDataReadLog::row).toList();
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("""
                        INSERT INTO personal_data_reads (event_id, application_id, service, reader, reader_roles, reader_agency,
                                                         fields, what, read_at)
                        VALUES (?, ?, ?, ?, string_to_array(?, ','), ?, string_to_array(?, ','), ?, ?)
                        ON CONFLICT (event_id) DO NOTHING""", rows);
            }
        });
    }

    private static Object[] row(ReceivedEvent received) {
        PersonalDataRead read = (PersonalDataRead) received.event();
        return new Object[] {received.eventId(), read.applicationId(), read.service(), read.reader(),
            String.join(",", read.readerRoles()), read.readerAgency(), String.join(",", read.fields()), read.what(),
            Timestamp.from(read.readAt())};
    }

    /** The reads of one application's personal data, newest first. */
    List<Read> ofApplication(UUID applicationId, int limit) {
        return jdbc.sql("SELECT * FROM personal_data_reads WHERE application_id = ? ORDER BY read_at DESC, event_id LIMIT ?")
                .param(applicationId).param(limit).query(PersonalDataReadLog::read).list();
    }

    /** The reads matching every filter given, newest first. */
    List<Read> matching(@Nullable UUID applicationId, @Nullable String reader, @Nullable Instant from, @Nullable Instant to, int limit) {
        return jdbc.sql("""
                        SELECT * FROM personal_data_reads
                         WHERE (CAST(:application AS uuid) IS NULL OR application_id = CAST(:application AS uuid))
                           AND (CAST(:reader AS text) IS NULL OR reader = CAST(:reader AS text))
                           AND (CAST(:from AS timestamptz) IS NULL OR read_at >= CAST(:from AS timestamptz))
                           AND (CAST(:to AS timestamptz) IS NULL OR read_at < CAST(:to AS timestamptz))
                         ORDER BY read_at DESC, event_id LIMIT :limit""")
                .param("application", applicationId).param("reader", reader)
                .param("from", from == null ? null : Timestamp.from(from)).param("to", to == null ? null : Timestamp.from(to))
                .param("limit", limit).query(PersonalDataReadLog::read).list();
    }

    /** Forgets the reads older than the retention, in chunks, so that no transaction holds many rows. */
    @Scheduled(fixedDelayString = "${eport.intake.personal-data-reads.forget-every:PT1H}", initialDelayString = "PT1M")
    int forgetExpired() {
        Instant before = clock.instant().minus(settings.personalDataReads().retention());
        int forgotten = 0;
        for (int deleted = FORGET_CHUNK; deleted == FORGET_CHUNK; forgotten += deleted) {
            deleted = jdbc.sql("""
                    DELETE FROM personal_data_reads WHERE event_id IN (
                        SELECT event_id FROM personal_data_reads WHERE read_at < ? LIMIT ?)""")
                    .param(Timestamp.from(before)).param(FORGET_CHUNK).update();
        }
        if (forgotten > 0) {
            log.info("Forgot {} reads of personal data older than {}", forgotten, before);
        }
        return forgotten;
    }

    private static Read read(ResultSet row, int index) throws SQLException {
        return new Read(row.getObject("application_id", UUID.class), row.getString("service"), row.getString("reader"),
                strings(row.getArray("reader_roles")), row.getString("reader_agency"), strings(row.getArray("fields")),
                row.getString("what"), row.getTimestamp("read_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
