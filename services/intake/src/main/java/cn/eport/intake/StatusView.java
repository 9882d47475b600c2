package cn.eport.intake;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Channel;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Reason;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads an application's status from intake's own tables; nothing here is stored that can be derived. */
@Component
class StatusView {

    private static final TypeReference<List<Reason>> REASONS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    StatusView(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The owner of the application, if it exists. */
    /** Whether {@code user} is the applicant whose application has {@code owner} (from {@link #ownerOf}). */
    static boolean owns(EportUser user, Optional<String> owner) {
        return user.has(EportRole.APPLICANT) && owner.map(user.subject()::equals).orElse(false);
    }

    Optional<String> ownerOf(UUID applicationId) {
        return jdbc.sql("SELECT owner FROM applications WHERE id = ?").param(applicationId).query(String.class).optional();
    }

    Optional<ApplicationStatus> statusOf(UUID applicationId) {
        return jdbc.sql("""
                        SELECT id, revision, released_revision, slip_number, channel, submitted_at, withdrawn_at IS NOT NULL AS withdrawn
                        FROM applications WHERE id = ?""")
                .param(applicationId)
                .query((rs, n) -> new Submitted(rs.getInt("revision"), rs.getInt("released_revision"), rs.getString("slip_number"),
                        Channel.valueOf(rs.getString("channel")), rs.getTimestamp("submitted_at").toInstant(), rs.getBoolean("withdrawn")))
                .optional()
                .map(submitted -> {
                    List<ApplicationStatus.AgencyProgress> agencies = agencies(applicationId, submitted.revision());
                    ApplicationStatus.Cards cards = cards(applicationId).orElse(null);
                    return new ApplicationStatus(applicationId, submitted.revision(), submitted.slipNumber(),
                            ApplicationStatus.statusOf(agencies, cards, submitted.withdrawn(),
                                    submitted.releasedRevision() < submitted.revision()),
                            submitted.channel(), submitted.at(), agencies, telecom(applicationId).orElse(null), cards,
                            ProcessingProblems.of(jdbc, applicationId));
                });
    }

    private record Submitted(int revision, int releasedRevision, String slipNumber, Channel channel, Instant at, boolean withdrawn) {
    }

    List<UUID> applicationsOf(String owner) {
        return jdbc.sql("SELECT id FROM applications WHERE owner = ? ORDER BY submitted_at DESC LIMIT 100")
                .param(owner).query(UUID.class).list();
    }

    private List<ApplicationStatus.AgencyProgress> agencies(UUID applicationId, int revision) {
        Map<Agency, ApplicationStatus.AgencyProgress> decided = new EnumMap<>(Agency.class);
        jdbc.sql("SELECT agency, outcome, reasons::text AS reasons, decided_by, decided_at FROM verdicts WHERE application_id = ? AND revision = ?")
                .params(applicationId, revision)
                .query((rs, n) -> {
                    Agency agency = Agency.valueOf(rs.getString("agency"));
                    return new ApplicationStatus.AgencyProgress(agency, agency.zhName(), agency.documentChecked(),
                            rs.getString("outcome"), json.readValue(rs.getString("reasons"), REASONS),
                            rs.getString("decided_by"), rs.getTimestamp("decided_at").toInstant());
                })
                .list()
                .forEach(progress -> decided.put(progress.agency(), progress));
        List<ApplicationStatus.AgencyProgress> all = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            all.add(decided.getOrDefault(agency, new ApplicationStatus.AgencyProgress(agency, agency.zhName(),
                    agency.documentChecked(), "PENDING", List.of(), null, null)));
        }
        return all;
    }

    private Optional<ApplicationStatus.Telecom> telecom(UUID applicationId) {
        return jdbc.sql("SELECT network_card_number, registered_at FROM telecom_registrations WHERE application_id = ?")
                .param(applicationId)
                .query((rs, n) -> new ApplicationStatus.Telecom(rs.getString("network_card_number"),
                        rs.getTimestamp("registered_at").toInstant()))
                .optional();
    }

    private Optional<ApplicationStatus.Cards> cards(UUID applicationId) {
        return jdbc.sql("""
                        SELECT cards::text AS cards, issued_at, state, suspended_by, suspension_reason::text AS suspension_reason
                        FROM card_sets WHERE application_id = ?""")
                .param(applicationId)
                .query((rs, n) -> {
                    Map<String, Object> cards = json.readValue(rs.getString("cards"), new TypeReference<Map<String, Object>>() {
                    });
                    return new ApplicationStatus.Cards(
                            json.convertValue(cards.get("legalPersonCard"), IssuedCard.class),
                            json.convertValue(cards.get("operatorCards"), new TypeReference<List<IssuedCard>>() {
                            }),
                            rs.getTimestamp("issued_at").toInstant(), rs.getString("state"),
                            rs.getString("suspended_by") == null ? null : Agency.valueOf(rs.getString("suspended_by")),
                            rs.getString("suspension_reason") == null ? null : json.readValue(rs.getString("suspension_reason"), Reason.class));
                })
                .optional();
    }
}
