package cn.eport.dashboard;

import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.KafkaBatch;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

@Configuration(proxyBeanMethods = false)
class DashboardBindings {

    /**
     * Bound to eport.applications, the six verdict topics and eport.cards in the dashboard group, in
     * batches, through the platform's consumer: verdicts whose signature does not verify are
     * dead-lettered and never shown, and a redelivered event is recognised by its id.
     */
    @Bean
    Consumer<Message<List<byte[]>>> recordEvents(EventConsumer consumer, Projection projection) {
        return consumer.binding("recordEvents", projection::apply);
    }

    /** Bound to every deciding service's seals topic in the dashboard-seals group, in batches. */
    @Bean
    Consumer<Message<List<byte[]>>> recordSeals(SealWatch seals) {
        return batch -> seals.record(KafkaBatch.records(batch));
    }

    /** Bound to every consumer group's dead-letter topic in the dashboard-dead-letters group, in batches. */
    @Bean
    Consumer<Message<List<byte[]>>> countDeadLetters(DeadLetterCounter counter) {
        return batch -> counter.count(KafkaBatch.records(batch));
    }
}
