package cn.eport.agencycheck;

import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.KafkaBatch;
import cn.eport.messaging.MessagingAutoConfiguration;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.PlatformMigrations;
import cn.eport.messaging.VerdictSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import tools.jackson.databind.json.JsonMapper;

/** The agency-check pipeline, for a service that provides {@link AgencyRules}. */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
@ConditionalOnBean(AgencyRules.class)
public class AgencyCheckAutoConfiguration {

    @Bean
    FlywayConfigurationCustomizer agencyCheckMigrations() {
        return PlatformMigrations.alsoMigrate("classpath:db/platform/agency-check");
    }

    @Bean
    AgencyCheckPipeline agencyCheckPipeline(AgencyRules rules, JdbcClient jdbc, Outbox outbox,
            VerdictSignatures signatures, JsonMapper json, Clock clock, MeterRegistry meters) {
        signatures.requireSigningKeyOf(rules.agency());
        return new AgencyCheckPipeline(rules, jdbc, outbox, signatures, json, clock, meters);
    }

    /** Bound to {@code eport.applications} in the agency's consumer group, in batches. */
    @Bean
    Consumer<Message<List<byte[]>>> checkApplications(EventConsumer consumer, AgencyCheckPipeline pipeline) {
        return batch -> consumer.consume(KafkaBatch.records(batch), pipeline::checkAll);
    }
}
