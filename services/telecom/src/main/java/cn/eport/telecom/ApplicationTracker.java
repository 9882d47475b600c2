package cn.eport.telecom;

import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.UnifiedSocialCreditCode;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.KafkaBatch;
import cn.eport.messaging.ReceivedEvent;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;

/** Keeps telecom's list of slips current: which enterprise each belongs to, and whether it was withdrawn. */
@Configuration(proxyBeanMethods = false)
class ApplicationTracker {

    @Bean
    Consumer<Message<List<byte[]>>> trackApplications(EventConsumer consumer, JdbcClient jdbc) {
        return batch -> consumer.consume(KafkaBatch.records(batch), events -> track(events, jdbc));
    }

    private static void track(List<ReceivedEvent> events, JdbcClient jdbc) {
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationRevision application) {
                String code = application.enterprise().organisationCode() != null
                        ? OrganisationCode.compact(application.enterprise().organisationCode())
                        : UnifiedSocialCreditCode.organisationCode(application.enterprise().uscc());
                jdbc.sql("""
                                INSERT INTO applications (application_id, slip_number, organisation_code) VALUES (?, ?, ?)
                                ON CONFLICT (application_id) DO UPDATE SET organisation_code = excluded.organisation_code""")
                        .params(application.applicationId(), application.slipNumber(), code).update();
            } else if (received.event() instanceof ApplicationWithdrawn withdrawn) {
                jdbc.sql("UPDATE applications SET withdrawn = true WHERE application_id = ?").param(withdrawn.applicationId()).update();
            }
        }
    }
}
