package cn.eport.intake;

import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.messaging.Outbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Accepts a checked form: stores it and publishes ApplicationSubmitted in the same transaction. */
@Service
class Submissions {

    private static final Logger log = LoggerFactory.getLogger(Submissions.class);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final SlipNumbers slips;
    private final JsonMapper json;
    private final Clock clock;

    Submissions(JdbcClient jdbc, Outbox outbox, SlipNumbers slips, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.slips = slips;
        this.json = json;
        this.clock = clock;
    }

    /** The form must have passed {@link FormChecks}. */
    @Transactional
    ApplicationSubmitted submit(ApplicationForm form, String owner, Channel channel, String submittedBy) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ApplicationSubmitted submitted = new ApplicationSubmitted(id, 1, slips.next(), now, channel, submittedBy,
                enterprise(form.enterprise()),
                new CardHolder(form.legalRepresentative().name().strip(), masked(form.legalRepresentative().idNumber()), null),
                form.operators().stream()
                        .map(o -> new CardHolder(o.name().strip(), masked(o.idNumber()), FormChecks.upper(o.customsBrokerCertificate())))
                        .toList());
        jdbc.sql("""
                        INSERT INTO applications (id, revision, slip_number, owner, channel, submitted_by, submitted_at, form)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")
                .params(id, submitted.revision(), submitted.slipNumber(), owner, channel.name(), submittedBy,
                        Timestamp.from(now), json.writeValueAsString(form))
                .update();
        outbox.publish(submitted);
        log.info("Application {} submitted ({}, slip {})", id, channel, submitted.slipNumber());
        return submitted;
    }

    private static Enterprise enterprise(ApplicationForm.EnterpriseForm form) {
        String organisationCode = FormChecks.upper(form.organisationCode());
        return new Enterprise(form.name().strip(), form.type(), FormChecks.upper(form.uscc()),
                organisationCode == null ? null : OrganisationCode.printed(organisationCode),
                FormChecks.upper(form.businessRegistrationNumber()), FormChecks.upper(form.taxRegistrationNumber()),
                FormChecks.upper(form.customsRegistrationCode()), FormChecks.upper(form.tradeCertificateNumber()),
                form.address().strip(), form.legalRepresentative().strip(), form.contactPhone().strip());
    }

    private static String masked(String idNumber) {
        return ResidentIdNumber.masked(idNumber.strip().toUpperCase(java.util.Locale.ROOT));
    }
}
