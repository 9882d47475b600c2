package cn.eport.messaging;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.DecisionLogSealed;
import cn.eport.contracts.Topics;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seals this service's decision log: signs each lane's head ({@link DecisionLog#sealMessage}) at least once per
 * {@link DecisionLogSettings#sealInterval()} and whenever it has grown by {@link DecisionLogSettings#sealEvery()}
 * entries, has it timestamped where a time-stamping authority is configured, keeps the seal in
 * {@code decision_log_seal} and publishes it on {@code eport.seals.<service>}, so that a head is
 * witnessed outside this database too and the dashboard sees every service's seals arrive.
 *
 * <p>Without the time-stamping authority's answer a head stays unsealed, and is tried again a second
 * later. A head unsealed for longer than {@link DecisionLogSettings#alertAfter()} is an alert (logged,
 * and {@link #unsealedFor} makes the service's health DOWN). Several instances of a service may each
 * seal: a seal more is harmless.
 */
final class DecisionSealer {

    private static final Logger log = LoggerFactory.getLogger(DecisionSealer.class);

    /** A seal of one lane as kept ({@code decision_log_seal}), and what it signed. */
    record Seal(int lane, long seq, byte[] headHash, Instant sealedAt, String keyId, byte[] signature, byte @Nullable [] timestampToken) {

        /** The seal of {@code lane} in {@code row}: seq, head_hash, sealed_at, key_id, signature, timestamp_token from column {@code first} on. */
        static Seal read(ResultSet row, int lane, int first) throws SQLException {
            return new Seal(lane, row.getLong(first), row.getBytes(first + 1), row.getTimestamp(first + 2).toInstant(), row.getString(first + 3),
                    row.getBytes(first + 4), row.getBytes(first + 5));
        }
    }

    private record Head(int lane, long seq, byte[] hash) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Outbox outbox;
    private final JsonMapper json;
    private final DecisionLogSettings settings;
    private final String service;
    private final Ed25519PrivateKeyParameters key;
    private final String keyId;
    private final @Nullable TimestampAuthority authority;
    private final Clock clock;
    private final AtomicLong unsealedSeconds = new AtomicLong();
    private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();
    private volatile boolean alerting;

    DecisionSealer(JdbcClient jdbc, TransactionTemplate transactions, Outbox outbox, JsonMapper json, DecisionLogSettings settings,
            String service, Ed25519PrivateKeyParameters key, String keyId, @Nullable TimestampAuthority authority, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.json = json;
        this.settings = settings;
        this.service = service;
        this.key = key;
        this.keyId = keyId;
        this.authority = authority;
        this.clock = clock;
    }

    /** A lane as the sealer sees it: its head, its latest seal, and its oldest entry that seal does not cover. */
    private record LaneState(Head head, @Nullable Seal last, @Nullable Instant oldestUnsealed) {
    }

    /** Every second: seals each lane that is due, then measures how long the oldest unsealed entry has waited. */
    @Scheduled(initialDelay = 1, fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
    void sealWhenDue() {
        try {
            Instant now = clock.instant();
            boolean retry = lastFailure.get() != null;
            boolean failed = false;
            boolean sealed = false;
            List<LaneState> lanes = lanes();
            for (LaneState lane : lanes) {
                Head head = lane.head();
                Seal previous = lane.last();
                boolean due = previous == null || head.seq() - previous.seq() >= settings.sealEvery()
                        || !previous.sealedAt().plus(settings.sealInterval()).isAfter(now)
                        || (retry && head.seq() > previous.seq());
                if (due) {
                    try {
                        seal(head);
                        sealed = true;
                    } catch (IOException | RuntimeException e) {
                        failed = true;
                        lastFailure.set(e.getMessage());
                        log.warn("Could not seal lane {} of the decision log of {}: {}", head.lane(), service, e.toString());
                    }
                }
            }
            if (!failed) {
                lastFailure.set(null);
            }
            watch(sealed ? lanes() : lanes);
        } catch (RuntimeException e) {
            lastFailure.set(e.getMessage());
            log.warn("Could not seal the decision log of {}: {}", service, e.toString());
        }
    }

    /**
     * Every lane's head, latest seal and oldest unsealed entry, in one statement (an index lookup or
     * two a lane): what the sealer reads every second.
     */
    private List<LaneState> lanes() {
        return jdbc.sql("""
                SELECT h.lane, h.seq, h.entry_hash, s.seq, s.head_hash, s.sealed_at, s.key_id, s.signature, s.timestamp_token,
                       (SELECT min(l.recorded_at) FROM decision_log l WHERE l.lane = h.lane AND l.seq > coalesce(s.seq, 0))
                FROM decision_log_head h
                LEFT JOIN LATERAL (SELECT seq, head_hash, sealed_at, key_id, signature, timestamp_token FROM decision_log_seal
                                   WHERE lane = h.lane ORDER BY seq DESC, id DESC LIMIT 1) s ON true
                ORDER BY h.lane""")
                .query((row, i) -> {
                    Head head = new Head(row.getInt(1), row.getLong(2), row.getBytes(3));
                    Seal last = row.getTimestamp(6) == null ? null : Seal.read(row, head.lane(), 4);
                    Timestamp oldest = row.getTimestamp(10);
                    return new LaneState(head, last, oldest == null ? null : oldest.toInstant());
                }).list();
    }

    /** Signs every lane's head as it is now, and keeps and publishes the seals. */
    List<Seal> sealNow() throws IOException {
        List<Seal> seals = new ArrayList<>();
        for (Head head : heads()) {
            seals.add(seal(head));
        }
        return seals;
    }

    /** Signs {@code lane}'s head as it is now, and keeps and publishes the seal. */
    Seal sealNow(int lane) throws IOException {
        return seal(heads().stream().filter(head -> head.lane() == lane).findFirst().orElseThrow());
    }

    private Seal seal(Head head) throws IOException {
        Instant sealedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] message = DecisionLog.sealMessage(service, head.lane(), head.seq(), head.hash(), sealedAt);
        byte[] signature = Ed25519Keys.sign(key, message);
        byte[] token = authority == null ? null : authority.timestamp(DecisionLog.sha256(message));
        Seal seal = new Seal(head.lane(), head.seq(), head.hash(), sealedAt, keyId, signature, token);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO decision_log_seal (lane, seq, head_hash, sealed_at, key_id, signature, timestamp_token) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(seal.lane(), seal.seq(), seal.headHash(), Timestamp.from(sealedAt), keyId, signature, token).update();
            publish(seal);
        });
        return seal;
    }

    private void publish(Seal seal) {
        Base64.Encoder base64 = Base64.getEncoder();
        DecisionLogSealed sealed = new DecisionLogSealed(service, seal.lane(), seal.seq(), base64.encodeToString(seal.headHash()), seal.sealedAt(),
                seal.keyId(), base64.encodeToString(seal.signature()),
                seal.timestampToken() == null ? null : base64.encodeToString(seal.timestampToken()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        headers.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
        headers.put(CloudEventHeaders.TYPE, DecisionLogSealed.TYPE);
        headers.put(CloudEventHeaders.SOURCE, "/eport/" + service);
        headers.put(CloudEventHeaders.SUBJECT, service);
        headers.put(CloudEventHeaders.TIME, seal.sealedAt().toString());
        headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        outbox.publishAsIs(Topics.seals(service), service, headers, json.writeValueAsBytes(sealed));
    }

    /** How long the oldest entry not covered by a seal has waited, in any lane, and the alert when that is too long. */
    private void watch(List<LaneState> lanes) {
        Instant oldestUnsealed = lanes.stream().map(LaneState::oldestUnsealed).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
        long seconds = oldestUnsealed == null ? 0 : Math.max(0, Duration.between(oldestUnsealed, clock.instant()).toSeconds());
        unsealedSeconds.set(seconds);
        boolean alert = seconds > settings.alertAfter().toSeconds();
        if (alert && !alerting) {
            log.error("ALERT: the decision log of {} has entries unsealed for {} s (bound {}): {}", service, seconds,
                    settings.alertAfter(), lastFailure.get() == null ? "sealing has not run" : lastFailure.get());
        } else if (!alert && alerting) {
            log.info("The decision log of {} is sealed again", service);
        }
        alerting = alert;
    }

    /** Seconds the oldest unsealed entry has waited, as last measured (0: everything is sealed). */
    long unsealedFor() {
        return unsealedSeconds.get();
    }

    boolean alerting() {
        return alerting;
    }

    @Nullable String lastFailure() {
        return lastFailure.get();
    }

    @Nullable TimestampAuthority authority() {
        return authority;
    }

    private List<Head> heads() {
        return jdbc.sql("SELECT lane, seq, entry_hash FROM decision_log_head ORDER BY lane")
                .query((row, i) -> new Head(row.getInt(1), row.getLong(2), row.getBytes(3))).list();
    }
}
