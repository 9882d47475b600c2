package cn.eport.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import cn.eport.contracts.Reason;
import cn.eport.testsupport.RealInfrastructure;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.mail.health.MailHealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Decision mails from the caller's transaction to a real SMTP server (GreenMail), through the real PostgreSQL. */
@SpringBootTest(classes = MailTestApplication.class, properties = "spring.config.name=mail-test")
@ContextConfiguration(initializers = RealInfrastructure.class)
class DecisionMailDeliveryTest {

    /** Fixed for the class, so that the server stopped and started again answers where the sender looks. */
    private static final int SMTP_PORT = freePort();

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry properties) {
        properties.add("spring.mail.host", () -> "127.0.0.1");
        properties.add("spring.mail.port", () -> SMTP_PORT);
    }

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Autowired
    ApplicationContext context;
    @Autowired
    DecisionMail mail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void aQueuedRejectionArrivesAsAMailAPersonReadsInChineseAndEnglish() throws Exception {
        UUID application = UUID.randomUUID();
        String to = recipient();
        Reason quoting = new Reason("COMMERCE_LEGAL_REPRESENTATIVE_MISMATCH", "法定代表人身份证号码 11010519491231002X 与营业执照不符",
                "The legal representative's ID number 11010519491231002X differs from the business licence");

        boolean queued = queued(to, Notices.rejected(application, Notices.taxNumberMismatch(), quoting));

        assertThat(queued).isTrue();
        MimeMessage received = await().atMost(PATIENCE).until(() -> receivedBy(to), list -> !list.isEmpty()).get(0);
        assertThat(received.getSubject())
                .isEqualTo("【中国电子口岸】入网申请未通过审查 / E-Port application not approved — YY2026000000011");
        assertThat(received.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
        InternetAddress from = (InternetAddress) received.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("noreply@eport.example");
        assertThat(from.getPersonal()).isEqualTo("E-Port 中国电子口岸");
        assertThat(received.getContent()).asString()
                .contains("福州闽江进出口贸易有限公司：", "未通过国家税务局的审查", "税务登记证上的企业名称与申请不一致",
                        "TAX_REGISTRATION_NAME_MISMATCH", "请按上述原因修改申请后重新提交")
                .contains("was not approved by the State Taxation Bureau",
                        "The enterprise name on the tax registration certificate differs from the application")
                .contains("法定代表人身份证号码 110***********002X 与营业执照不符", "ID number 110***********002X differs")
                .doesNotContain("11010519491231002X");
        await().atMost(PATIENCE).until(() -> state(application), "SENT"::equals);
    }

    @Test
    void theSameNoticeQueuedTwiceSendsOneMail() throws Exception {
        UUID application = UUID.randomUUID();
        String to = recipient();
        DecisionNotice notice = Notices.approved(application);

        assertThat(queued(to, notice)).isTrue();
        await().atMost(PATIENCE).until(() -> state(application), "SENT"::equals);
        // The event delivered again, after the first mail went out.
        assertThat(queued(to, notice)).isFalse();

        Thread.sleep(500); // several of the sender's polls
        assertThat(receivedBy(to)).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE application_id = ?").param(application).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void aMailQueuedWhileTheSmtpServerIsDownIsSentWhenItIsBack() throws Exception {
        UUID application = UUID.randomUUID();
        String to = recipient();
        smtp.stop();
        try {
            queued(to, Notices.suspended(application, Notices.taxNumberMismatch()));

            await().atMost(PATIENCE).until(() -> attempts(application) >= 2);
            assertThat(state(application)).isEqualTo("PENDING");
            assertThat(lastError(application)).containsIgnoringCase("connect");
        } finally {
            smtp.start();
        }

        MimeMessage received = await().atMost(PATIENCE).until(() -> receivedBy(to), list -> !list.isEmpty()).get(0);
        assertThat(received.getSubject()).isEqualTo("【中国电子口岸】IC卡已暂停使用 / E-Port cards suspended — YY2026000000011");
        await().atMost(PATIENCE).until(() -> state(application), "SENT"::equals);
    }

    @Test
    void aMailStillUnsentAfterGiveUpAfterIsMarkedFailedAndNotSentAgain() throws Exception {
        UUID application = UUID.randomUUID();
        String to = recipient();
        smtp.stop();
        try {
            transaction.executeWithoutResult(status -> {
                mail.queue(to, Notices.rejected(application, Notices.taxNumberMismatch()));
                // Queued longer ago than eport.mail.give-up-after (24 h): its next failure is its last.
                jdbc.sql("UPDATE mail_outbox SET created_at = now() - interval '25 hours' WHERE application_id = ?")
                        .param(application).update();
            });

            await().atMost(PATIENCE).until(() -> state(application), "FAILED"::equals);
        } finally {
            smtp.start();
        }

        Thread.sleep(1000); // more than the longest wait between attempts
        assertThat(state(application)).isEqualTo("FAILED");
        assertThat(receivedBy(to)).isEmpty();
    }

    @Test
    void anSmtpOutageDoesNotMakeTheServiceUnhealthy() {
        // Boot's mail health indicator is DOWN while the server is away; mails wait in the outbox instead.
        assertThat(context.getBeansOfType(MailHealthIndicator.class)).isEmpty();
    }

    @Test
    void aBadAddressIsRefusedAndNothingIsQueued() {
        UUID application = UUID.randomUUID();

        assertThatIllegalArgumentException().isThrownBy(() -> transaction.execute(status ->
                mail.queue("applicant@example.cn\r\nBcc: everyone@evil.example", Notices.approved(application))));
        assertThatIllegalArgumentException().isThrownBy(() -> transaction.execute(status ->
                mail.queue("a".repeat(250) + "@example.cn", Notices.approved(application))));

        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE application_id = ?").param(application).query(Long.class).single())
                .isZero();
    }

    @Test
    void aMailIsQueuedOnlyInTheTransactionOfTheDecision() {
        UUID application = UUID.randomUUID();

        assertThatIllegalStateException().isThrownBy(() -> mail.queue(recipient(), Notices.approved(application)));
        transaction.executeWithoutResult(status -> {
            mail.queue(recipient(), Notices.approved(application));
            status.setRollbackOnly(); // the decision did not happen after all
        });

        assertThat(jdbc.sql("SELECT count(*) FROM mail_outbox WHERE application_id = ?").param(application).query(Long.class).single())
                .isZero();
    }

    /** Queues as intake does, in the transaction of the decision. */
    private boolean queued(String to, DecisionNotice notice) {
        return Boolean.TRUE.equals(transaction.execute(status -> mail.queue(to, notice)));
    }

    private static String recipient() {
        return "applicant-" + UUID.randomUUID() + "@minjiang-trade.example.cn";
    }

    private static List<MimeMessage> receivedBy(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(to -> to.toString().equals(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private String state(UUID application) {
        return jdbc.sql("SELECT state FROM mail_outbox WHERE application_id = ?").param(application).query(String.class).single();
    }

    private int attempts(UUID application) {
        return jdbc.sql("SELECT attempts FROM mail_outbox WHERE application_id = ?").param(application).query(Integer.class).single();
    }

    private String lastError(UUID application) {
        return jdbc.sql("SELECT last_error FROM mail_outbox WHERE application_id = ?").param(application).query(String.class).single();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
