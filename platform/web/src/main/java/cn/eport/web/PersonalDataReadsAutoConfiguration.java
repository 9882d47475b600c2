package cn.eport.web;

import cn.eport.messaging.MessagingSettings;
import cn.eport.messaging.Outbox;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link PersonalDataReads} for every service with a REST API and an outbox. */
@AutoConfiguration(afterName = "cn.eport.messaging.MessagingAutoConfiguration")
@ConditionalOnBean(Outbox.class)
public class PersonalDataReadsAutoConfiguration {

    @Bean
    PersonalDataReads personalDataReads(Outbox outbox, PlatformTransactionManager transactions, MessagingSettings settings, Clock clock) {
        return new PersonalDataReads(outbox, new TransactionTemplate(transactions), settings, clock);
    }
}
