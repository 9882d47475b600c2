package cn.eport.cardissuance;

import cn.eport.messaging.EventConsumer;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CardSettings.class)
class CardIssuanceBindings {

    @Bean
    CardClock cardClock(CardLifecycle lifecycle, CardSettings settings) {
        return new CardClock(lifecycle, settings);
    }

    /** Bound to eport.applications, eport.telecom and the six verdict topics (verdicts and withdrawals) in the card-issuance group, in batches. */
    @Bean
    Consumer<Message<List<byte[]>>> issueCards(EventConsumer consumer, CardIssuance issuance) {
        return consumer.binding("issueCards", issuance::handle);
    }
}
