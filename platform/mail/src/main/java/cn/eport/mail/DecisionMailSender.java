package cn.eport.mail;

import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.messaging.LoopingWorker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Sends queued decision mails: claims the due ones, sends them over one SMTP connection, marks each
 * SENT, or schedules its next attempt after a wait that doubles from {@code retry-first-delay} up to
 * {@code retry-max-delay}; a mail still unsent {@code give-up-after} after it was queued is marked
 * FAILED and raises an ALERT. Nothing here runs in the caller's transaction, so SMTP never holds up a decision.
 */
final class DecisionMailSender extends LoopingWorker {

    private static final Logger log = LoggerFactory.getLogger(DecisionMailSender.class);

    private final MailOutbox outbox;
    private final @Nullable JavaMailSender smtp;
    private final MailSettings settings;
    private final InternetAddress from;
    private final Counter sent;
    private final Counter givenUp;

    DecisionMailSender(MailOutbox outbox, @Nullable JavaMailSender smtp, MailSettings settings, MeterRegistry meters) {
        super("decision-mail-sender", settings.batchSize(), settings.pollInterval(), RELAY_PHASE);
        this.outbox = outbox;
        this.smtp = smtp;
        this.settings = settings;
        this.from = fromAddress(settings.from());
        this.sent = Counter.builder("eport.mail.sent").description("Decision mails the SMTP server accepted").register(meters);
        this.givenUp = Counter.builder("eport.mail.failed")
                .description("Decision mails given up after eport.mail.give-up-after").register(meters);
    }

    @Override
    protected int round() {
        return sendDue();
    }

    /** One round: sends the due mails; returns how many it claimed. */
    int sendDue() {
        JavaMailSender server = smtp;
        if (server == null) {
            return 0;
        }
        List<MailOutbox.Queued> due = outbox.claimDue(settings.batchSize(), settings.lease());
        if (due.isEmpty()) {
            return 0;
        }
        Map<MimeMessage, MailOutbox.Queued> messages = new LinkedHashMap<>();
        for (MailOutbox.Queued mail : due) {
            try {
                messages.put(message(server, mail), mail);
            } catch (MessagingException | MailException e) {
                failed(mail, e);
            }
        }
        Map<Object, Exception> failures = new IdentityHashMap<>();
        try {
            server.send(messages.keySet().toArray(MimeMessage[]::new));
        } catch (MailSendException e) {
            failures.putAll(e.getFailedMessages());
            if (failures.isEmpty()) {
                messages.keySet().forEach(message -> failures.put(message, e));
            }
        } catch (MailException e) {
            // Authentication or preparation refused the whole batch.
            messages.keySet().forEach(message -> failures.put(message, e));
        }
        messages.forEach((message, mail) -> {
            Exception failure = failures.get(message);
            if (failure == null) {
                outbox.sent(mail.id());
                sent.increment();
                log.atInfo().addKeyValue("applicationId", mail.applicationId())
                        .log("Decision mail {} for application {} sent", mail.id(), mail.applicationId());
            } else {
                failed(mail, failure);
            }
        });
        return due.size();
    }

    private MimeMessage message(JavaMailSender server, MailOutbox.Queued mail) throws MessagingException {
        MimeMessage message = server.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(from);
        helper.setTo(mail.recipient());
        helper.setSubject(mail.subject());
        helper.setText(mail.body(), false);
        return message;
    }

    private void failed(MailOutbox.Queued mail, Exception failure) {
        int attempt = mail.attempts() + 1;
        Duration retryIn = settings.retryDelay(attempt);
        String error = ResidentIdNumber.maskedWithin(describe(failure));
        if (outbox.failed(mail.id(), error, retryIn, settings.giveUpAfter())) {
            givenUp.increment();
            log.atError().addKeyValue("applicationId", mail.applicationId())
                    .log("ALERT: decision mail {} for application {} given up after {} attempt(s) since {}, marked FAILED in mail_outbox: {}",
                            mail.id(), mail.applicationId(), attempt, mail.createdAt(), error);
        } else {
            log.atWarn().addKeyValue("applicationId", mail.applicationId())
                    .log("Decision mail {} for application {} not sent (attempt {}), trying again in {}: {}",
                            mail.id(), mail.applicationId(), attempt, retryIn, error);
        }
    }

    /** The failure and its causes in one line: "connection refused" is usually two causes down. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null && text.length() < 1000; cause = cause.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    /** The configured From, its display name encoded as UTF-8; a From that is no address stops the service at start. */
    private static InternetAddress fromAddress(String from) {
        try {
            InternetAddress parsed = new InternetAddress(from, true);
            return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), StandardCharsets.UTF_8.name());
        } catch (AddressException | UnsupportedEncodingException e) {
            throw new IllegalStateException("eport.mail.from is not a mail address: " + from, e);
        }
    }

    @Override
    protected boolean runs() {
        if (!settings.enabled()) {
            log.info("Decision mail is off on this instance (eport.mail.enabled=false): mails are queued in mail_outbox, not sent");
        } else if (smtp == null) {
            log.warn("Decision mail is off: no SMTP server is configured (spring.mail.host). Mails are queued in mail_outbox"
                    + " and sent once one is");
        } else {
            return true;
        }
        return false;
    }
}
