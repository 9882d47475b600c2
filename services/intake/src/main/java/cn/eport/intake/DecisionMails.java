package cn.eport.intake;

import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.VerdictIssued;
import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.mail.DecisionMail;
import cn.eport.mail.DecisionNotice;
import cn.eport.messaging.ReceivedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Mails the enterprise's contact, in Chinese and English, every decision it has to act on: an
 * agency's rejection of the current revision, with its reasons; the approval of all six, with what to
 * bring to telecom and customs. Queued through {@link DecisionMail} in the transaction that records
 * the verdict, once per revision, decision and agency however often a verdict is redelivered; sent
 * after commit, and again after an SMTP outage. An application without a contact email gets none.
 */
@Component
class DecisionMails {

    private static final Logger log = LoggerFactory.getLogger(DecisionMails.class);

    private final DecisionMail mail;
    private final StatusView statuses;
    private final JdbcClient jdbc;

    DecisionMails(DecisionMail mail, StatusView statuses, JdbcClient jdbc) {
        this.mail = mail;
        this.statuses = statuses;
        this.jdbc = jdbc;
    }

    private record Contact(String email, int revision, String slipNumber, String enterprise, String legalRepresentative,
            String maskedIdNumber) {
    }

    /** In the consumer's transaction, after the verdicts are recorded. */
    void noticeOf(List<ReceivedEvent> events) {
        Map<UUID, VerdictIssued> finals = new LinkedHashMap<>();
        List<VerdictIssued> rejections = new ArrayList<>();
        List<CardsSuspended> suspensions = new ArrayList<>();
        for (ReceivedEvent received : events) {
            if (received.event() instanceof VerdictIssued verdict && verdict.outcome().isFinal()) {
                finals.put(verdict.applicationId(), verdict);
                if (verdict.outcome() == Outcome.REJECTED) {
                    rejections.add(verdict);
                }
            } else if (received.event() instanceof CardsSuspended suspended && suspended.agency() != null) {
                suspensions.add(suspended);
            }
        }
        if (finals.isEmpty() && suspensions.isEmpty()) {
            return;
        }
        Set<UUID> concerned = new LinkedHashSet<>(finals.keySet());
        suspensions.forEach(s -> concerned.add(s.applicationId()));
        Map<UUID, Contact> contacts = contacts(concerned);
        for (CardsSuspended suspended : suspensions) {
            Contact contact = contacts.get(suspended.applicationId());
            if (contact != null) {
                queue(contact, new DecisionNotice(DecisionNotice.Kind.SUSPENDED, suspended.applicationId(), contact.revision(),
                        contact.slipNumber(), contact.enterprise(), contact.legalRepresentative(), contact.maskedIdNumber(),
                        List.of(suspended.reason()), suspended.agency().zhName(), suspended.agency().enName(), suspended.at()));
            }
        }
        for (VerdictIssued rejection : rejections) {
            Contact contact = contacts.get(rejection.applicationId());
            if (contact != null && contact.revision() == rejection.revision()) {
                queue(contact, new DecisionNotice(DecisionNotice.Kind.REJECTED, rejection.applicationId(), rejection.revision(),
                        contact.slipNumber(), contact.enterprise(), contact.legalRepresentative(), contact.maskedIdNumber(),
                        rejection.reasons(), rejection.agency().zhName(), rejection.agency().enName(), rejection.decidedAt()));
            }
        }
        finals.forEach((applicationId, last) -> {
            Contact contact = contacts.get(applicationId);
            if (contact == null || last.outcome() != Outcome.APPROVED) {
                return;
            }
            statuses.statusOf(applicationId).filter(status -> status.status() == ApplicationStatus.Status.APPROVED).ifPresent(status ->
                    queue(contact, new DecisionNotice(DecisionNotice.Kind.APPROVED, applicationId, status.revision(), contact.slipNumber(),
                            contact.enterprise(), contact.legalRepresentative(), contact.maskedIdNumber(), List.of(), null, null,
                            last.decidedAt())));
        });
    }

    private void queue(Contact contact, DecisionNotice notice) {
        try {
            if (mail.queue(contact.email(), notice)) {
                log.atInfo().addKeyValue("applicationId", notice.applicationId())
                        .log("Application {} revision {}: {} mail queued", notice.applicationId(), notice.revision(), notice.kind());
            }
        } catch (IllegalArgumentException e) {
            // An address intake accepted but the mail module refuses: the decision stands; the applicant reads it online.
            log.atWarn().addKeyValue("applicationId", notice.applicationId())
                    .log("Application {}: no {} mail: {}", notice.applicationId(), notice.kind(), e.getMessage());
        }
    }

    /** The contacts of those applications that gave an email. */
    private Map<UUID, Contact> contacts(Set<UUID> applicationIds) {
        Map<UUID, Contact> contacts = new HashMap<>();
        jdbc.sql("""
                        SELECT id, revision, slip_number, contact_email AS email, form->'enterprise'->>'name' AS enterprise,
                               form->'legalRepresentative'->>'name' AS legal_representative,
                               form->'legalRepresentative'->>'idNumber' AS id_number
                        FROM applications WHERE id = ANY(?::uuid[]) AND contact_email IS NOT NULL AND withdrawn_at IS NULL""")
                .param(applicationIds.stream().map(UUID::toString).toArray(String[]::new))
                .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), new Contact(rs.getString("email"), rs.getInt("revision"),
                        rs.getString("slip_number"), rs.getString("enterprise"), rs.getString("legal_representative"),
                        ResidentIdNumber.masked(rs.getString("id_number")))))
                .list().forEach(e -> contacts.put(e.getKey(), e.getValue()));
        return contacts;
    }
}
