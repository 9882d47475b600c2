package cn.eport.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
@EnableConfigurationProperties({MessagingSettings.class, SigningSettings.class})
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
    Outbox outbox(JdbcTemplate jdbc, JsonMapper json, MessagingSettings settings, Clock clock, OutboxRelay relay) {
        return new Outbox(jdbc, json, settings, clock, relay::wakeUp);
    }

    @Bean
    EventConsumer eventConsumer(JsonMapper json, VerdictSignatures signatures, Outbox outbox, JdbcClient jdbc,
            PlatformTransactionManager transactions, MeterRegistry meters) {
        return new EventConsumer(new EventReader(json, signatures), outbox, jdbc, new TransactionTemplate(transactions),
                meters);
    }

    /**
     * A batch whose transaction fails (database down, a bug) is retried from its first record with
     * backoff, for as long as it takes, and its offsets are committed only once it succeeds. Records
     * that cannot be read never get here: they are dead-lettered inside the transaction.
     */
    @Bean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> retryFailedBatchesUntilTheyCommit() {
        return (container, destination, group) -> {
            ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
            backOff.setMaxInterval(30_000);
            DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
            handler.setClassifications(Map.of(), true);
            container.setCommonErrorHandler(handler);
        };
    }

    @Bean
    InboxJanitor inboxJanitor(JdbcClient jdbc, MessagingSettings settings) {
        return new InboxJanitor(jdbc, settings);
    }
}
