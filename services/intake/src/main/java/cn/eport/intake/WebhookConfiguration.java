package cn.eport.intake;

import cn.eport.webhooks.EndpointPolicy;
import cn.eport.webhooks.WebhookSender;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The webhook delivery: the endpoint policy every URL passes, at registration and on every DNS answer, the sender and its dispatcher. */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    EndpointPolicy webhookEndpointPolicy(IntakeSettings settings) {
        return settings.webhooks().allowLoopback() ? EndpointPolicy.development() : EndpointPolicy.production();
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(EndpointPolicy policy, Clock clock, IntakeSettings settings) {
        return new WebhookSender(policy, clock, settings.webhooks().connectTimeout(), settings.webhooks().responseTimeout());
    }

    @Bean
    WebhookDispatcher webhookDispatcher(JdbcClient jdbc, WebhookSubscriptions subscriptions, WebhookSender sender, Clock clock,
            IntakeSettings settings, MeterRegistry meters) {
        return new WebhookDispatcher(jdbc, subscriptions, sender, clock, settings.webhooks(), meters);
    }
}
