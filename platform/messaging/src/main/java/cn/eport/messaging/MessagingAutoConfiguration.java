package cn.eport.messaging;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Outbox, relay, inbox and signatures for every service that has this module on its class path. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"})
@EnableConfigurationProperties({MessagingSettings.class, SigningSettings.class, DecisionLogSettings.class})
@EnableScheduling
public class MessagingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    FlywayConfigurationCustomizer messagingMigrations() {
        return PlatformMigrations.alsoMigrate("classpath:db/platform/messaging");
    }

    @Bean
    VerdictSignatures verdictSignatures(SigningSettings settings) {
        return VerdictSignatures.from(settings);
    }

    @Bean
    RecordSignatures recordSignatures(SigningSettings settings, MessagingSettings messaging, VerdictSignatures verdicts,
            MeterRegistry meters) {
        RecordSignatures records = RecordSignatures.from(messaging.service(), settings);
        records.requireSigningKeyIfSigner();
        // Counted, so that the load generator can give the signatures and verifications per application.
        FunctionCounter.builder("eport.signatures.made", records, r -> verdicts.signedCount() + r.signedCount()).register(meters);
        FunctionCounter.builder("eport.signatures.verified", records, r -> verdicts.verifiedCount() + r.verifiedCount()).register(meters);
        return records;
    }

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, PlatformTransactionManager transactions, KafkaProperties kafka,
            JsonMapper json, MessagingSettings settings, MeterRegistry meters) {
        Map<String, Object> producer = kafka.buildProducerProperties();
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.service() + "-outbox-relay");
        return new OutboxRelay(jdbc, new TransactionTemplate(transactions), new DefaultKafkaProducerFactory<>(producer),
                json, settings, meters);
    }

    @Bean
    Outbox outbox(JdbcTemplate jdbc, JsonMapper json, MessagingSettings settings, Clock clock, OutboxRelay relay,
            RecordSignatures signatures, DecisionLogSettings decisionLog) {
        return new Outbox(jdbc, json, settings, clock, relay::wakeUp, signatures, decisionLog.enabled() ? new DecisionChain(jdbc) : null);
    }

    @Bean
    EvidenceGrants evidenceGrants(SigningSettings settings, MessagingSettings messaging, VerdictSignatures keys, Clock clock) {
        String privateKey = settings.privateKey();
        boolean intake = messaging.service().equals("intake") && privateKey != null && !privateKey.isBlank();
        return new EvidenceGrants(intake ? Ed25519Keys.privateKey(privateKey) : null, keys.historyOf("intake"), clock);
    }

    /**
     * The sealed decision log of a deciding service (docs/evidence.md): its seals, its evidence, and its
     * health, DOWN while a head has waited longer than the bound to be sealed.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "eport.decision-log.enabled", matchIfMissing = true)
    static class DecisionLogConfiguration {

        @Bean
        DecisionSealer decisionSealer(JdbcClient jdbc, PlatformTransactionManager transactions, Outbox outbox, JsonMapper json,
                DecisionLogSettings settings, SigningSettings signing, MessagingSettings messaging, Clock clock, MeterRegistry meters) {
            String privateKey = signing.privateKey();
            if (privateKey == null || privateKey.isBlank()) {
                throw new IllegalStateException("eport.signing.private-key (EPORT_SIGNING_PRIVATE_KEY) is not set: " + messaging.service()
                        + " seals its decision log with its key and cannot start without it (or set eport.decision-log.enabled=false)");
            }
            var key = Ed25519Keys.privateKey(privateKey);
            boolean timestamped = settings.tsaUrl() != null && !settings.tsaUrl().toString().isBlank();
            TimestampAuthority authority = timestamped ? new TimestampAuthority(settings.tsaUrl(), settings.tsaTimeout()) : null;
            DecisionSealer sealer = new DecisionSealer(jdbc, new TransactionTemplate(transactions), outbox, json, settings, messaging.service(),
                    key, VerdictSignatures.idOfKeyPair(key), authority, clock);
            Gauge.builder("eport.decision.log.unsealed", sealer, DecisionSealer::unsealedFor).baseUnit("seconds")
                    .description("How long the oldest entry of the decision log not covered by a seal has waited").register(meters);
            return sealer;
        }

        @Bean
        DecisionEvidence decisionEvidence(JdbcClient jdbc, JsonMapper json, MessagingSettings messaging, VerdictSignatures keys) {
            return new DecisionEvidence(jdbc, json, messaging.service(), keys);
        }

        @Bean
        HealthIndicator decisionLogHealthIndicator(DecisionSealer sealer, DecisionLogSettings settings) {
            return () -> {
                Health.Builder health = sealer.alerting() ? Health.down() : Health.up();
                health.withDetail("unsealedSeconds", sealer.unsealedFor()).withDetail("bound", settings.alertAfter().toString());
                if (sealer.lastFailure() != null) {
                    health.withDetail("lastFailure", sealer.lastFailure());
                }
                if (sealer.authority() != null) {
                    health.withDetail("timestampAuthority", sealer.authority().url().toString());
                }
                return health.build();
            };
        }
    }

    @Bean
    Quarantine quarantine(JdbcClient jdbc, JsonMapper json, Outbox outbox) {
        return new Quarantine(jdbc, json, outbox);
    }

    @Bean
    EventConsumer eventConsumer(JsonMapper json, VerdictSignatures signatures, RecordSignatures recordSignatures, Outbox outbox,
            Quarantine quarantine, JdbcClient jdbc, PlatformTransactionManager transactions, MessagingSettings settings,
            MeterRegistry meters) {
        return new EventConsumer(new EventReader(json, signatures, recordSignatures), outbox, quarantine, jdbc,
                new TransactionTemplate(transactions), settings, meters);
    }

    /** Every service that consumes and serves HTTP lists its quarantine and replays it for ops. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.security.access.prepost.PreAuthorize")
    @Import(QuarantineController.class)
    static class QuarantineApi {
    }

    /**
     * A batch that throws out of {@link EventConsumer} failed for want of the database or the broker
     * (anything else is isolated and quarantined there): it is delivered again from its first record
     * with backoff, capped at a few seconds so that consuming resumes soon after they are back, for as
     * long as it takes, and its offsets are committed only once it succeeds.
     *
     * <p>Where {@code eport.messaging.instance-id} is set (one per running instance, stable across its
     * restarts), each consumer is a static member of its group ({@code group.instance.id}): an instance
     * killed and restarted takes its partitions back at once, instead of waiting out the session of
     * the member it was.
     */
    @Bean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> retryFailedBatchesUntilTheyCommit(MessagingSettings settings) {
        return (container, destination, group) -> {
            ExponentialBackOff backOff = new ExponentialBackOff(250, 2.0);
            backOff.setMaxInterval(5_000);
            DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
            handler.setClassifications(Map.of(), true);
            container.setCommonErrorHandler(handler);
            if (settings.instanceId() != null && !settings.instanceId().isBlank() && group != null) {
                container.getContainerProperties().getKafkaConsumerProperties()
                        .setProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-" + settings.instanceId());
            }
        };
    }

    @Bean
    InboxJanitor inboxJanitor(JdbcClient jdbc, MessagingSettings settings) {
        return new InboxJanitor(jdbc, settings);
    }
}
