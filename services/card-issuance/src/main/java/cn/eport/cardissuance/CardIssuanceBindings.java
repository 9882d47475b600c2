package cn.eport.cardissuance;

import cn.eport.messaging.EventConsumer;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

@Configuration(proxyBeanMethods = false)
class CardIssuanceBindings {

    /** Bound to eport.applications and the six verdict topics in the card-issuance group, in batches. */
    @Bean
    Consumer<Message<List<byte[]>>> issueCards(EventConsumer consumer, CardIssuance issuance) {
        return consumer.binding("issueCards", issuance::handle);
    }
}
