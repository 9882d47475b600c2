package cn.eport.agencycheck;

import cn.eport.agencycheck.registry.HttpRegistry;
import cn.eport.agencycheck.registry.RegistrySettings;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.MessagingAutoConfiguration;
import cn.eport.messaging.Outbox;
import cn.eport.messaging.PlatformMigrations;
import cn.eport.messaging.VerdictSignatures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import cn.eport.workingdays.WorkingDayCalendar;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** The agency-check pipeline, worker, registry client and review queue, for a service that provides {@link AgencyRules}. */
@AutoConfiguration(after = MessagingAutoConfiguration.class,
        afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnBean(AgencyRules.class)
@EnableConfigurationProperties({AgencyCheckSettings.class, RegistrySettings.class})
@Import({ReviewsController.class, ClockController.class})
public class AgencyCheckAutoConfiguration {

    @Bean
    FlywayConfigurationCustomizer agencyCheckMigrations() {
        return PlatformMigrations.alsoMigrate("classpath:db/platform/agency-check");
    }

    @Bean
    Checks checks(JdbcClient jdbc, JdbcTemplate jdbcTemplate, JsonMapper json, AgencyRules rules, MeterRegistry meters) {
        Checks checks = new Checks(jdbc, jdbcTemplate, json);
        Gauge.builder("eport.checks.parked", checks, Checks::parked).tag("agency", rules.agency().id())
                .description("Checks waiting for their registry to answer again").register(meters);
        Gauge.builder("eport.reviews.queue", checks, c -> c.count("REFERRED")).tag("agency", rules.agency().id())
                .description("Referred cases waiting for a reviewer").register(meters);
        Gauge.builder("eport.checks.pending", checks, c -> c.count("PENDING")).tag("agency", rules.agency().id())
                .description("Checks not yet decided").register(meters);
        return checks;
    }

    /** The registry the agency's rules consult; a service may provide its own {@link Registry} instead. */
    @Bean
    Registry registry(AgencyRules rules, RegistrySettings settings, ObjectProvider<RestClient.Builder> restClients,
            MeterRegistry meters) {
        return new HttpRegistry(rules.agency().id(), settings, restClients.getIfAvailable(RestClient::builder), meters);
    }

    /** The agency's time limit on the Chinese calendar; a service whose calendar cannot give a check accepted now its deadline does not start. */
    @Bean
    StatutoryClock statutoryClock(Clock clock, AgencyCheckSettings settings) {
        return new StatutoryClock(WorkingDayCalendar.chinese(), clock, settings.timeLimit()).requireTablesForNow();
    }

    @Bean
    AgencyCheckPipeline agencyCheckPipeline(AgencyRules rules, Checks checks, Outbox outbox, VerdictSignatures signatures,
            Clock clock, StatutoryClock statutoryClock, MeterRegistry meters, ObjectProvider<CheckWorker> worker) {
        signatures.requireSigningKeyOf(rules.agency());
        return new AgencyCheckPipeline(rules, checks, outbox, signatures, clock, statutoryClock, meters,
                () -> worker.getObject().wakeUp());
    }

    @Bean
    EscalationWatch escalationWatch(AgencyRules rules, Checks checks, Outbox outbox, StatutoryClock clock,
            PlatformTransactionManager transactions, AgencyCheckSettings settings, MeterRegistry meters) {
        return new EscalationWatch(rules, checks, outbox, clock, new TransactionTemplate(transactions), meters,
                settings.timeLimit().escalationInterval());
    }

    @Bean
    CheckWorker checkWorker(AgencyRules rules, Registry registry, Checks checks, AgencyCheckPipeline pipeline,
            PlatformTransactionManager transactions, AgencyCheckSettings settings, MeterRegistry meters) {
        return new CheckWorker(rules, registry, checks, pipeline, new TransactionTemplate(transactions), settings, meters);
    }

    @Bean
    RegistryFollower registryFollower(AgencyRules rules, Registry registry, Checks checks, AgencyCheckPipeline pipeline,
            PlatformTransactionManager transactions, AgencyCheckSettings settings, MeterRegistry meters) {
        return new RegistryFollower(rules, registry, checks, pipeline, new TransactionTemplate(transactions),
                settings.registryFeed(), meters);
    }

    /** Bound to {@code eport.applications} in the agency's consumer group, in batches. */
    @Bean
    Consumer<Message<List<byte[]>>> checkApplications(EventConsumer consumer, AgencyCheckPipeline pipeline) {
        return consumer.binding("checkApplications", pipeline::accept);
    }
}
