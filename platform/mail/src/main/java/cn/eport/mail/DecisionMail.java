package cn.eport.mail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues the applicant's decision mails. A mail is written to the service's {@code mail_outbox} in
 * the caller's transaction, so it exists exactly when the decision does, and is sent after commit by
 * the background sender, with retries: an SMTP outage neither loses a mail nor holds up the caller.
 */
public class DecisionMail {

    private static final Logger log = LoggerFactory.getLogger(DecisionMail.class);

    private final MailOutbox outbox;
    private final DecisionMailComposer composer = new DecisionMailComposer();
    private final Runnable wakeSender;

    DecisionMail(MailOutbox outbox, Runnable wakeSender) {
        this.outbox = outbox;
        this.wakeSender = wakeSender;
    }

    /**
     * In the caller's transaction: queues the notice for {@code to}, at most once per (applicationId,
     * revision, kind, agency): a redelivered event queues nothing new. Returns whether it was queued.
     *
     * @throws IllegalArgumentException when {@code to} is not a plain mail address of at most 254 characters
     * @throws IllegalStateException    when no transaction is active: the mail belongs to the decision's
     */
    public boolean queue(String to, DecisionNotice notice) {
        String recipient = MailAddress.checked(to);
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A decision mail is queued in the transaction of the decision it reports");
        }
        DecisionMailComposer.ComposedMail mail = composer.compose(notice);
        boolean queued = outbox.queue(notice.dedupeKey(), notice.applicationId(), recipient, mail.subject(), mail.body());
        if (queued) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeSender.run();
                }
            });
        }
        log.atInfo().addKeyValue("applicationId", notice.applicationId())
                .log("Decision mail {} for application {} revision {} {}", notice.kind(), notice.applicationId(), notice.revision(),
                        queued ? "queued" : "was queued before: nothing new");
        return queued;
    }
}
