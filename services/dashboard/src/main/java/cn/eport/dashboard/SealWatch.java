package cn.eport.dashboard;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.DecisionLogSealed;
import cn.eport.contracts.Topics;
import cn.eport.messaging.IncomingRecord;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the last seal of each deciding service's decision log, from its seals topic, and says whose
 * head has gone unsealed too long: a service seals at least once a seal interval, so a seal older than
 * {@code eport.dashboard.seal-alert-after} means its log is not being sealed (a time-stamping authority
 * away, the service down). Only the service itself may write its seals topic (docs/security.md); a
 * record that is not a seal of the topic's service is skipped.
 */
@Component
class SealWatch {

    private static final Logger log = LoggerFactory.getLogger(SealWatch.class);
    private static final int MAX_SEAL_BYTES = 64 * 1024;

    private final JdbcTemplate jdbc;
    private final JdbcClient client;
    private final JsonMapper json;

    SealWatch(JdbcTemplate jdbc, JdbcClient client, JsonMapper json) {
        this.jdbc = jdbc;
        this.client = client;
        this.json = json;
    }

    void record(List<IncomingRecord> records) {
        Map<String, Object[]> latest = new LinkedHashMap<>();
        for (IncomingRecord record : records) {
            String service = record.topic().startsWith(Topics.sealsPrefix()) ? record.topic().substring(Topics.sealsPrefix().length()) : "";
            if (!DecisionLog.SERVICES.contains(service) || record.value().length > MAX_SEAL_BYTES) {
                continue;
            }
            try {
                DecisionLogSealed seal = json.readValue(record.value(), DecisionLogSealed.class);
                if (service.equals(seal.service()) && seal.sealedAt() != null && seal.keyId() != null && seal.lane() >= 0
                        && seal.lane() < DecisionLog.LANES) {
                    latest.put(service + "/" + seal.lane(), new Object[] {service, seal.lane(), seal.seq(), Timestamp.from(seal.sealedAt()), seal.timestampToken() != null,
                            seal.keyId().length() > 64 ? seal.keyId().substring(0, 64) : seal.keyId()});
                }
            } catch (JacksonException e) {
                log.warn("Skipped a record on {} that is not a seal: {}", record.topic(), e.getOriginalMessage());
            }
        }
        if (!latest.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO seals AS s (service, lane, seq, sealed_at, timestamped, key_id) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (service, lane) DO UPDATE SET seq = excluded.seq, sealed_at = excluded.sealed_at,
                        timestamped = excluded.timestamped, key_id = excluded.key_id
                    WHERE excluded.sealed_at > s.sealed_at""", new ArrayList<>(latest.values()));
        }
    }

    /**
     * Every deciding service's seals at {@code now}, in {@link DecisionLog#SERVICES} order: the entries its
     * lanes' last seals cover, and the oldest of those seals, which says whether one lane went unsealed.
     */
    Snapshot.DecisionLogs at(Instant now, Duration alertAfter) {
        Map<String, Snapshot.SealRow> rows = new LinkedHashMap<>();
        client.sql("""
                SELECT service, sum(seq) AS seq, min(sealed_at) AS sealed_at, bool_and(timestamped) AS timestamped
                FROM seals GROUP BY service""").query((rs, n) -> {
            Instant sealedAt = rs.getTimestamp("sealed_at").toInstant();
            long age = Math.max(0, Duration.between(sealedAt, now).toSeconds());
            return new Snapshot.SealRow(rs.getString("service"), rs.getLong("seq"), sealedAt, age, rs.getBoolean("timestamped"),
                    age > alertAfter.toSeconds());
        }).list().forEach(row -> rows.put(row.service(), row));
        List<Snapshot.SealRow> ordered = DecisionLog.SERVICES.stream()
                .map(service -> rows.getOrDefault(service, new Snapshot.SealRow(service, 0, null, null, false, true))).toList();
        return new Snapshot.DecisionLogs(ordered.stream().anyMatch(Snapshot.SealRow::alert), alertAfter.toSeconds(), ordered);
    }
}
