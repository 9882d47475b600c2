package cn.eport.telecom;

import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.UnifiedSocialCreditCode;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.ReceivedEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
        return consumer.binding("trackApplications", events -> track(events, jdbc));
    }

    /**
     * The organisation code the enterprise registers under: the form's, else characters 9-17 of its
     * USCC. The schema allows an application with neither, or with malformed ones (the agencies reject
     * it); then no code matches, and telecom answers that the code is not this enterprise's.
     */
    static String organisationCodeOf(@Nullable String organisationCode, @Nullable String uscc) {
        if (organisationCode != null && OrganisationCode.problemWith(organisationCode).isEmpty()) {
            return OrganisationCode.compact(organisationCode);
        }
        if (uscc != null && UnifiedSocialCreditCode.problemWith(uscc).isEmpty()) {
            return UnifiedSocialCreditCode.organisationCode(uscc);
        }
        return "";
    }

    private static void track(List<ReceivedEvent> events, JdbcClient jdbc) {
        for (ReceivedEvent received : events) {
            if (received.event() instanceof ApplicationRevision application) {
                String code = organisationCodeOf(application.enterprise().organisationCode(), application.enterprise().uscc());
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
