package cn.eport.messaging;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.EvidenceBundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads this service's decision log: one case's part of an evidence bundle ({@link #partOf}), and the
 * whole chain checked against its seals ({@link #check}), which is how a row changed, removed or
 * inserted in the database is found.
 */
public final class DecisionEvidence {

    /** More entries than any case makes in one service; beyond it the export refuses rather than grow without bound. */
    static final int MAX_CASE_ENTRIES = 10_000;
    private static final int CHECK_PAGE = 10_000;
    private static final int MAX_PROBLEMS = 100;
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    /**
     * What {@link #check} found.
     *
     * @param entries    rows read, in all lanes
     * @param head       the lanes' heads added up: as many as there should be entries
     * @param sealedUpTo the entries covered by a seal, in all lanes
     */
    public record ChainCheck(String service, long entries, long head, long sealedUpTo, long seals, boolean intact, List<String> problems) {
    }

    private record Row(long seq, String topic, String key, String headers, byte[] payload, byte[] contentHash, byte[] entryHash) {
    }


    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String service;
    private final String signer;
    private final VerdictSignatures keys;

    DecisionEvidence(JdbcClient jdbc, JsonMapper json, String service, VerdictSignatures keys) {
        this.jdbc = jdbc;
        this.json = json;
        this.service = service;
        this.signer = DecisionLog.signerOf(service);
        this.keys = keys;
    }

    /** This service's part of {@code applicationId}'s bundle; no entries and no segments when it has none. */
    public EvidenceBundle.ServiceEvidence partOf(UUID applicationId) {
        int lane = DecisionLog.laneOf(applicationId.toString());
        List<Row> rows = jdbc.sql("SELECT seq, topic, record_key, headers::text, payload, content_hash, entry_hash FROM decision_log"
                        + " WHERE application_id = ? AND lane = ? ORDER BY seq LIMIT " + (MAX_CASE_ENTRIES + 1))
                .params(applicationId.toString(), lane).query(DecisionEvidence::row).list();
        if (rows.size() > MAX_CASE_ENTRIES) {
            throw new IllegalStateException("case " + applicationId + " has more than " + MAX_CASE_ENTRIES + " entries in the decision log of "
                    + service);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        List<EvidenceBundle.Entry> entries = rows.stream().map(row -> new EvidenceBundle.Entry(row.seq(), row.topic(), row.key(),
                json.readValue(row.headers(), HEADERS), base64.encodeToString(row.payload()), base64.encodeToString(row.entryHash()))).toList();
        List<EvidenceBundle.Segment> segments = new ArrayList<>();
        int next = 0;
        while (next < rows.size()) {
            long first = rows.get(next).seq();
            Optional<DecisionSealer.Seal> seal = firstSealFrom(lane, first);
            long end = seal.map(DecisionSealer.Seal::seq).orElse(rows.get(rows.size() - 1).seq());
            while (next < rows.size() && rows.get(next).seq() <= end) {
                next++;
            }
            byte[] startHash = first == 1 ? DecisionLog.GENESIS
                    : jdbc.sql("SELECT entry_hash FROM decision_log WHERE lane = ? AND seq = ?").params(lane, first - 1).query(byte[].class).optional()
                            .orElseThrow(() -> new IllegalStateException("entry " + (first - 1) + " of the decision log of " + service + " is missing"));
            List<EvidenceBundle.ChainLink> chain = jdbc.sql("SELECT seq, content_hash FROM decision_log WHERE lane = ? AND seq BETWEEN ? AND ? ORDER BY seq")
                    .params(lane, first, end).query((row, i) -> new EvidenceBundle.ChainLink(row.getLong(1), base64.encodeToString(row.getBytes(2)))).list();
            segments.add(new EvidenceBundle.Segment(new EvidenceBundle.ChainStart(first - 1, base64.encodeToString(startHash)), chain,
                    seal.map(DecisionEvidence::published).orElse(null)));
        }
        List<EvidenceBundle.Key> signerKeys = keys.historyOf(signer).stream()
                .map(key -> new EvidenceBundle.Key(key.id(), key.encoded(), key.validFrom(), key.validUntil(), key.revokedFrom())).toList();
        return new EvidenceBundle.ServiceEvidence(service, signer, lane, signerKeys, entries, segments);
    }

    /** Every lane recomputed from its rows, and every seal checked against it. */
    public ChainCheck check() {
        List<String> problems = new ArrayList<>();
        long count = 0;
        long heads = 0;
        for (int lane = 0; lane < DecisionLog.LANES; lane++) {
            long expected = 1;
            byte[] previous = DecisionLog.GENESIS;
            while (true) {
                List<Row> page = jdbc.sql("SELECT seq, topic, record_key, headers::text, payload, content_hash, entry_hash FROM decision_log"
                        + " WHERE lane = ? AND seq >= ? ORDER BY seq LIMIT " + CHECK_PAGE).params(lane, expected).query(DecisionEvidence::row).list();
                for (Row row : page) {
                    count++;
                    String entry = "entry " + row.seq() + " of lane " + lane;
                    if (row.seq() != expected) {
                        problem(problems, "entries " + expected + " to " + (row.seq() - 1) + " of lane " + lane + " are missing");
                    }
                    byte[] content = DecisionLog.contentHash(row.topic(), row.key(), json.readValue(row.headers(), HEADERS), row.payload());
                    if (!Arrays.equals(content, row.contentHash())) {
                        problem(problems, entry + " (" + row.topic() + ") was altered: its record no longer hashes to its content hash");
                    }
                    if (DecisionLog.laneOf(row.key()) != lane) {
                        problem(problems, entry + " was moved: its key belongs to lane " + DecisionLog.laneOf(row.key()));
                    }
                    byte[] hash = DecisionLog.entryHash(lane, row.seq(), previous, row.contentHash());
                    if (!Arrays.equals(hash, row.entryHash())) {
                        problem(problems, entry + " does not follow the entry before it: its hash was changed, or one was removed or inserted");
                    }
                    previous = row.entryHash();
                    expected = row.seq() + 1;
                }
                if (page.size() < CHECK_PAGE) {
                    break;
                }
            }
            long head = jdbc.sql("SELECT seq FROM decision_log_head WHERE lane = ?").param(lane).query(Long.class).single();
            if (head != expected - 1) {
                problem(problems, "the head of lane " + lane + " is at " + head + " but its last entry is " + (expected - 1));
            }
            heads += head;
        }
        List<VerdictSignatures.KeyPeriod> signerKeys = keys.historyOf(signer);
        long seals = 0;
        long sealedEntries = 0;
        Map<Integer, Long> sealedUpTo = new java.util.HashMap<>();
        for (Map.Entry<DecisionSealer.Seal, byte[]> sealed : sealsWithEntries()) {
            DecisionSealer.Seal seal = sealed.getKey();
            seals++;
            String at = "the seal of " + seal.sealedAt() + " at entry " + seal.seq() + " of lane " + seal.lane();
            boolean genesis = seal.seq() == 0 && Arrays.equals(seal.headHash(), DecisionLog.GENESIS);
            if (!genesis && !Arrays.equals(seal.headHash(), sealed.getValue())) {
                problem(problems, at + " no longer matches the chain there: an entry up to " + seal.seq() + " was changed, removed or inserted");
            }
            byte[] message = DecisionLog.sealMessage(service, seal.lane(), seal.seq(), seal.headHash(), seal.sealedAt());
            boolean signed = signerKeys.stream().anyMatch(key -> key.id().equals(seal.keyId()) && Ed25519Keys.verifies(key.key(), message, seal.signature()));
            if (!signed) {
                problem(problems, at + " is not signed by key " + seal.keyId() + " of " + signer);
            }
            sealedUpTo.merge(seal.lane(), seal.seq(), Math::max);
        }
        for (long upTo : sealedUpTo.values()) {
            sealedEntries += upTo;
        }
        return new ChainCheck(service, count, heads, sealedEntries, seals, problems.isEmpty(), problems);
    }

    private List<Map.Entry<DecisionSealer.Seal, byte[]>> sealsWithEntries() {
        return jdbc.sql("SELECT s.lane, s.seq, s.head_hash, s.sealed_at, s.key_id, s.signature, s.timestamp_token, l.entry_hash"
                        + " FROM decision_log_seal s LEFT JOIN decision_log l ON l.lane = s.lane AND l.seq = s.seq ORDER BY s.id")
                .query((row, i) -> Map.entry(seal(row), row.getBytes(8) == null ? new byte[0] : row.getBytes(8))).list();
    }

    private Optional<DecisionSealer.Seal> firstSealFrom(int lane, long seq) {
        return jdbc.sql("SELECT lane, seq, head_hash, sealed_at, key_id, signature, timestamp_token FROM decision_log_seal WHERE lane = ? AND seq >= ?"
                + " ORDER BY seq, id LIMIT 1").params(lane, seq).query((row, i) -> seal(row)).optional();
    }

    private static DecisionSealer.Seal seal(java.sql.ResultSet row) throws java.sql.SQLException {
        return DecisionSealer.Seal.read(row, row.getInt(1), 2);
    }

    private static EvidenceBundle.Seal published(DecisionSealer.Seal seal) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new EvidenceBundle.Seal(seal.seq(), base64.encodeToString(seal.headHash()), seal.sealedAt(), seal.keyId(),
                base64.encodeToString(seal.signature()), seal.timestampToken() == null ? null : base64.encodeToString(seal.timestampToken()));
    }

    private static Row row(java.sql.ResultSet row, int i) throws java.sql.SQLException {
        return new Row(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getBytes(5), row.getBytes(6), row.getBytes(7));
    }

    private static void problem(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }

    public String service() {
        return service;
    }
}
