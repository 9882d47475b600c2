package cn.eport.intake;

import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.Channel;
import cn.eport.messaging.Outbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What applicants (and clerks for them) do to an application: submit it, amend it after a
 * rejection (a new revision), withdraw it. Each change checks the application's status in the
 * transaction that acts on it, and the change and the event it publishes commit together;
 * the revisions reach the agencies through {@link Releases}, at once or in the next batch.
 */
@Service
class Submissions {

    private static final Logger log = LoggerFactory.getLogger(Submissions.class);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final SlipNumbers slips;
    private final Releases releases;
    private final Timeline timeline;
    private final StatusView view;
    private final JsonMapper json;
    private final Clock clock;

    Submissions(JdbcClient jdbc, Outbox outbox, SlipNumbers slips, Releases releases, Timeline timeline, StatusView view,
            JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.slips = slips;
        this.releases = releases;
        this.timeline = timeline;
        this.view = view;
        this.json = json;
        this.clock = clock;
    }

    /** The form must have passed {@link FormChecks}. Returns the new application's id. */
    @Transactional
    UUID submit(ApplicationForm form, String owner, Channel channel, String submittedBy) {
        UUID id = UUID.randomUUID();
        Instant now = now();
        String slip = slips.next();
        jdbc.sql("""
                        INSERT INTO applications (id, revision, slip_number, owner, channel, submitted_by, submitted_at, form,
                                                  revised_at, revised_by, contact_email)
                        VALUES (?, 1, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""")
                .params(id, slip, owner, channel.name(), submittedBy, Timestamp.from(now), json.writeValueAsString(form),
                        Timestamp.from(now), submittedBy, form.enterprise().contactEmail())
                .update();
        // Released first, so that the status the timeline's subscribers are told is SUBMITTED, not HELD.
        releases.releaseIfImmediate(id);
        timeline.append(id, new Timeline.Entry(now, "SUBMITTED", 1, submittedBy, channel == Channel.PAPER
                ? Map.of("channel", channel, "slipNumber", slip, "note", "keyed in by a customs clerk from the paper forms (纸面审核后录入)")
                : Map.of("channel", channel, "slipNumber", slip)));
        log.atInfo().addKeyValue("applicationId", id).log("Application {} submitted ({}, slip {})", id, channel, slip);
        return id;
    }

    /** What became of a change asked for: made, or refused because of the status the application was in. */
    sealed interface Change {

        /** @param revision the application's revision after the change */
        record Made(int revision) implements Change {
        }

        record Refused(ApplicationStatus.Status status) implements Change {
        }
    }

    private static final java.util.Set<ApplicationStatus.Status> AMENDABLE = java.util.EnumSet.of(ApplicationStatus.Status.REJECTED,
            ApplicationStatus.Status.CARDS_ISSUED, ApplicationStatus.Status.CARDS_SUSPENDED);

    /**
     * A new revision with the whole form again, of a REJECTED application, or of one whose cards are issued (to add
     * operators: card issuance adds their cards when all six approve the revision) or suspended (an agency withdrew
     * its approval: the cards come back when all six approve the revision); the form must have passed {@link FormChecks}.
     */
    @Transactional
    Change amend(UUID id, ApplicationForm form, String amendedBy) {
        ApplicationStatus.Status status = lockedStatusOf(id);
        if (!AMENDABLE.contains(status)) {
            return new Change.Refused(status);
        }
        Instant now = now();
        int revision = jdbc.sql("""
                        UPDATE applications SET revision = revision + 1, form = ?::jsonb, revised_at = ?, revised_by = ?,
                                                contact_email = ?
                        WHERE id = ? RETURNING revision""")
                .params(json.writeValueAsString(form), Timestamp.from(now), amendedBy, form.enterprise().contactEmail(), id)
                .query(Integer.class).single();
        releases.releaseIfImmediate(id);
        timeline.append(id, new Timeline.Entry(now, "AMENDED", revision, amendedBy, Map.of()));
        log.atInfo().addKeyValue("applicationId", id).log("Application {} amended: revision {}", id, revision);
        return new Change.Made(revision);
    }

    /** Stops everything, unless the cards are issued or it was withdrawn already. */
    @Transactional
    Change withdraw(UUID id, String withdrawnBy) {
        ApplicationStatus.Status status = lockedStatusOf(id);
        if (status == ApplicationStatus.Status.CARDS_ISSUED || status == ApplicationStatus.Status.CARDS_SUSPENDED
                || status == ApplicationStatus.Status.CANCELLED || status == ApplicationStatus.Status.WITHDRAWN) {
            return new Change.Refused(status);
        }
        Instant now = now();
        int revision = jdbc.sql("UPDATE applications SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? RETURNING revision")
                .params(Timestamp.from(now), withdrawnBy, id)
                .query(Integer.class).single();
        outbox.publish(new ApplicationWithdrawn(id, revision, now, withdrawnBy));
        timeline.append(id, new Timeline.Entry(now, "WITHDRAWN", revision, withdrawnBy, Map.of()));
        log.atInfo().addKeyValue("applicationId", id).log("Application {} withdrawn at revision {}", id, revision);
        return new Change.Made(revision);
    }

    /**
     * The application's status, read under its row lock, which every amendment, withdrawal and release takes before
     * it acts: two changes of one application take turns, and each decides on the status the other left (under READ
     * COMMITTED each statement after the lock sees what the previous holder committed). A card set or a verdict
     * recorded by the consumer does not take the lock; for a withdrawal that races the card set, see the README.
     */
    private ApplicationStatus.Status lockedStatusOf(UUID id) {
        jdbc.sql("SELECT id FROM applications WHERE id = ? FOR UPDATE").param(id).query(UUID.class).single();
        return view.statusOf(id).orElseThrow().status();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
