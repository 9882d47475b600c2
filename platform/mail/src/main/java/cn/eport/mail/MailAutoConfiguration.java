package cn.eport.mail;

import cn.eport.messaging.MessagingAutoConfiguration;
import cn.eport.messaging.PlatformMigrations;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * {@link DecisionMail}, its table and its sender, for every service with this module. The SMTP server
 * is Boot's {@code spring.mail.*}; without one, mails are queued and not sent, and the service runs on.
 */
@AutoConfiguration(after = MessagingAutoConfiguration.class,
        afterName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration")
@EnableConfigurationProperties(MailSettings.class)
public class MailAutoConfiguration {

    @Bean
    FlywayConfigurationCustomizer mailMigrations() {
        return PlatformMigrations.alsoMigrate("classpath:db/platform/mail");
    }

    @Bean
    MailOutbox mailOutbox(JdbcClient jdbc) {
        return new MailOutbox(jdbc);
    }

    @Bean
    DecisionMailSender decisionMailSender(MailOutbox outbox, ObjectProvider<JavaMailSender> smtp, MailSettings settings,
            MeterRegistry meters) {
        return new DecisionMailSender(outbox, smtp.getIfAvailable(), settings, meters);
    }

    @Bean
    DecisionMail decisionMail(MailOutbox outbox, DecisionMailSender sender) {
        return new DecisionMail(outbox, sender::wakeUp);
    }
}
