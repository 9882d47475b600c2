package cn.eport.web;

import cn.eport.messaging.DecisionEvidence;
import org.springframework.context.annotation.Configuration;
import cn.eport.messaging.MessagingSettings;
import cn.eport.messaging.Outbox;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every service with a REST API and the messaging kit serves besides its own API: the record of
 * personal-data reads ({@link PersonalDataReads}) and each agency's key history ({@link SigningKeysController}).
 */
@AutoConfiguration(afterName = "cn.eport.messaging.MessagingAutoConfiguration")
@ConditionalOnBean(Outbox.class)
@Import(SigningKeysController.class)
public class MessagingWebAutoConfiguration {

    @Bean
    PersonalDataReads personalDataReads(Outbox outbox, PlatformTransactionManager transactions, MessagingSettings settings, Clock clock) {
        return new PersonalDataReads(outbox, new TransactionTemplate(transactions), settings, clock);
    }

    /** A service with a decision log serves its part of each case's evidence, and the chain's check. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(DecisionEvidence.class)
    @Import(DecisionLogController.class)
    static class DecisionLogApi {
    }
}
