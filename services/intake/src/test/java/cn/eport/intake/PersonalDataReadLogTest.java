package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.testsupport.RealInfrastructure;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/** The log of personal-data reads keeps each read for the retention the settings name, and no longer. */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0",
        "eport.intake.personal-data-reads.retention=P30D"})
@ContextConfiguration(initializers = RealInfrastructure.class)
class PersonalDataReadLogTest {

    @Autowired
    PersonalDataReadLog log;
    @Autowired
    JdbcClient jdbc;

    @Test
    void readsOlderThanTheRetentionAreForgottenAndTheRestKept() {
        UUID application = UUID.randomUUID();
        Instant now = Instant.now();
        read(application, now.minus(Duration.ofDays(31)));
        read(application, now.minus(Duration.ofDays(29)));
        read(application, now.minus(Duration.ofMinutes(1)));

        assertThat(log.forgetExpired()).isGreaterThanOrEqualTo(1);

        assertThat(log.ofApplication(application, 10)).extracting(PersonalDataReadLog.Read::readAt)
                .allMatch(at -> at.isAfter(now.minus(Duration.ofDays(30))))
                .hasSize(2);
    }

    private void read(UUID application, Instant at) {
        jdbc.sql("""
                INSERT INTO personal_data_reads (event_id, application_id, service, reader, reader_roles, reader_agency, fields, what, read_at)
                VALUES (?, ?, 'tax-check', 'tax-reviewer-1', '{REVIEWER}', 'tax', '{legalRepresentative.name}',
                        'GET /api/reviews/{applicationId}/{revision}', ?)""")
                .param(UUID.randomUUID().toString()).param(application).param(Timestamp.from(at)).update();
    }
}
