package cn.eport.intake;

import cn.eport.contracts.ApplicationAmended;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.messaging.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes revisions to the agencies: at once (the default), or, in batch mode, all held
 * revisions together on the schedule, as in the seed's monthly joint processing. Whole ID numbers
 * stay here: the events carry them masked.
 */
@Component
class Releases {

    private static final Logger log = LoggerFactory.getLogger(Releases.class);
    static final int RELEASE_CHUNK = 500;

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Timeline timeline;
    private final IntakeSettings settings;
    private final JsonMapper json;
    private final Clock clock;
    private final TransactionTemplate transactions;

    Releases(JdbcClient jdbc, Outbox outbox, Timeline timeline, IntakeSettings settings, JsonMapper json, Clock clock,
            PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.timeline = timeline;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** In the caller's transaction: publishes the application's new revision now, unless intake runs in batch mode. */
    void releaseIfImmediate(UUID applicationId) {
        if (settings.release().mode() == IntakeSettings.Mode.IMMEDIATE) {
            release(applicationId);
        }
    }

    /**
     * Publishes every held revision; returns how many. Runs on the schedule, and when ops ask. A
     * month's backlog can be a million applications: they go in transactions of {@value #RELEASE_CHUNK},
     * each one query for the rows, one batch of outbox rows and timeline entries and one update, so
     * that the relay starts sending the first while the rest are still being released.
     */
    @Scheduled(cron = "${eport.intake.release.schedule:0 0 9 1 * *}", zone = "${eport.intake.release.zone:Asia/Shanghai}")
    public int releaseHeld() {
        int released = 0;
        int chunk;
        do {
            chunk = transactions.execute(status -> releaseChunk());
            released += chunk;
        } while (chunk == RELEASE_CHUNK);
        if (released > 0) {
            log.info("Released {} held applications to the agencies", released);
        }
        return released;
    }

    private int releaseChunk() {
        List<Held> held = jdbc.sql("""
                        SELECT id, revision, slip_number, channel, owner, submitted_by, submitted_at, revised_by, revised_at, form::text AS form
                        FROM applications WHERE revision > released_revision AND withdrawn_at IS NULL
                        ORDER BY submitted_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .param(RELEASE_CHUNK)
                .query((rs, n) -> held(rs))
                .list();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Map.Entry<UUID, Timeline.Entry>> entries = new ArrayList<>(held.size());
        for (Held row : held) {
            outbox.publish(eventOf(row));
            entries.add(Map.entry(row.id(), new Timeline.Entry(now, "RELEASED", row.revision(), "intake",
                    Map.of("note", "released to the agencies in the scheduled joint review (集中办理)"))));
        }
        jdbc.sql("UPDATE applications SET released_revision = revision WHERE id = ANY(?)")
                .param(held.stream().map(Held::id).toArray(UUID[]::new)).update();
        timeline.appendAll(entries);
        return held.size();
    }

    private void release(UUID id) {
        Held row = jdbc.sql("""
                        SELECT id, revision, slip_number, channel, owner, submitted_by, submitted_at, revised_by, revised_at, form::text AS form
                        FROM applications WHERE id = ?""")
                .param(id)
                .query((rs, n) -> held(rs))
                .single();
        outbox.publish(eventOf(row));
        jdbc.sql("UPDATE applications SET released_revision = ? WHERE id = ?").params(row.revision(), id).update();
    }

    private Held held(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Held(rs.getObject("id", UUID.class), rs.getInt("revision"), rs.getString("slip_number"),
                Channel.valueOf(rs.getString("channel")), rs.getString("owner"), rs.getString("submitted_by"), rs.getTimestamp("submitted_at").toInstant(),
                rs.getString("revised_by"), rs.getTimestamp("revised_at").toInstant(),
                json.readValue(rs.getString("form"), ApplicationForm.class));
    }

    private static ApplicationRevision eventOf(Held row) {
        UUID id = row.id();
        ApplicationForm form = row.form();
        Enterprise enterprise = enterprise(form.enterprise());
        CardHolder legalRepresentative = new CardHolder(form.legalRepresentative().name().strip(),
                masked(form.legalRepresentative().idNumber()), null);
        List<CardHolder> operators = form.operators().stream()
                .map(o -> new CardHolder(o.name().strip(), masked(o.idNumber()), FormChecks.upper(o.customsBrokerCertificate())))
                .toList();
        return row.revision() == 1
                ? new ApplicationSubmitted(id, 1, row.slipNumber(), row.submittedAt(), row.channel(), row.submittedBy(),
                        enterprise, legalRepresentative, operators, row.channel() == Channel.PAPER ? row.owner() : null)
                : new ApplicationAmended(id, row.revision(), row.slipNumber(), row.revisedAt(), row.channel(), row.revisedBy(),
                        enterprise, legalRepresentative, operators);
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
        return ResidentIdNumber.masked(idNumber.strip().toUpperCase(Locale.ROOT));
    }

    private record Held(UUID id, int revision, String slipNumber, Channel channel, String owner, String submittedBy, Instant submittedAt,
            String revisedBy, Instant revisedAt, ApplicationForm form) {
    }
}
