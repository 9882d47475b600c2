package cn.eport.mail;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.testsupport.RealInfrastructure;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;

/** A service with this module and no {@code spring.mail.host}: it runs, and keeps every mail for later. */
@SpringBootTest(classes = MailTestApplication.class,
        properties = {"spring.config.name=mail-test", "eport.database.schema=mail_test_no_smtp"})
@ContextConfiguration(initializers = RealInfrastructure.class)
class WithoutSmtpServerTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    DecisionMail mail;
    @Autowired
    DecisionMailSender sender;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void withoutAnSmtpServerTheServiceStartsAndQueuedMailsWaitInTheOutbox() throws Exception {
        UUID application = UUID.randomUUID();

        assertThat(context.getBeanProvider(JavaMailSender.class).getIfAvailable()).isNull();
        Boolean queued = transaction.execute(status -> mail.queue("applicant@example.cn", Notices.approved(application)));
        assertThat(queued).isTrue();

        Thread.sleep(300); // several polls, were the sender running
        assertThat(sender.isRunning()).isFalse();
        assertThat(jdbc.sql("SELECT state FROM mail_outbox WHERE application_id = ?").param(application).query(String.class).single())
                .isEqualTo("PENDING");
    }
}
