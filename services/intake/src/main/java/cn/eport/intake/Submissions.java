package cn.eport.intake;

import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.Channel;
import cn.eport.messaging.Outbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What applicants (and clerks for them) do to an application: submit it, amend it after a
 * rejection (a new revision), withdraw it. Each change and the event it publishes commit together;
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
    private final JsonMapper json;
    private final Clock clock;

    Submissions(JdbcClient jdbc, Outbox outbox, SlipNumbers slips, Releases releases, Timeline timeline, JsonMapper json,
            Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.slips = slips;
        this.releases = releases;
        this.timeline = timeline;
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
                                                  revised_at, revised_by)
                        VALUES (?, 1, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")
                .params(id, slip, owner, channel.name(), submittedBy, Timestamp.from(now), json.writeValueAsString(form),
                        Timestamp.from(now), submittedBy)
                .update();
        timeline.append(id, new Timeline.Entry(now, "SUBMITTED", 1, submittedBy, channel == Channel.PAPER
                ? Map.of("channel", channel, "slipNumber", slip, "note", "keyed in by a customs clerk from the paper forms (纸面审核后录入)")
                : Map.of("channel", channel, "slipNumber", slip)));
        releases.releaseIfImmediate(id);
        log.atInfo().addKeyValue("applicationId", id).log("Application {} submitted ({}, slip {})", id, channel, slip);
        return id;
    }

    /** A new revision with the whole form again; the form must have passed {@link FormChecks}. */
    @Transactional
    int amend(UUID id, ApplicationForm form, String amendedBy) {
        Instant now = now();
        int revision = jdbc.sql("""
                        UPDATE applications SET revision = revision + 1, form = ?::jsonb, revised_at = ?, revised_by = ?
                        WHERE id = ? AND withdrawn_at IS NULL RETURNING revision""")
                .params(json.writeValueAsString(form), Timestamp.from(now), amendedBy, id)
                .query(Integer.class).single();
        timeline.append(id, new Timeline.Entry(now, "AMENDED", revision, amendedBy, Map.of()));
        releases.releaseIfImmediate(id);
        log.atInfo().addKeyValue("applicationId", id).log("Application {} amended: revision {}", id, revision);
        return revision;
    }

    /** Stops everything: returns false when it was withdrawn already. */
    @Transactional
    boolean withdraw(UUID id, String withdrawnBy) {
        Instant now = now();
        Optional<Integer> revision = jdbc.sql("""
                        UPDATE applications SET withdrawn_at = ?, withdrawn_by = ?
                        WHERE id = ? AND withdrawn_at IS NULL RETURNING revision""")
                .params(Timestamp.from(now), withdrawnBy, id)
                .query(Integer.class).optional();
        if (revision.isEmpty()) {
            return false;
        }
        outbox.publish(new ApplicationWithdrawn(id, revision.get(), now, withdrawnBy));
        timeline.append(id, new Timeline.Entry(now, "WITHDRAWN", revision.get(), withdrawnBy, Map.of()));
        log.atInfo().addKeyValue("applicationId", id).log("Application {} withdrawn at revision {}", id, revision.get());
        return true;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
