package cn.eport.messaging;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.DecisionLogSealed;
import cn.eport.contracts.Topics;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * Seals this service's decision log: signs its head ({@link DecisionLog#sealMessage}) at least once per
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

    /** A seal as kept, and what it signed. */
    record Seal(long seq, byte[] headHash, Instant sealedAt, String keyId, byte[] signature, byte @Nullable [] timestampToken) {
    }

    private record Head(long seq, byte[] hash) {
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

    @Scheduled(initialDelay = 1, fixedDelay = 1, timeUnit = TimeUnit.SECONDS)
    void sealWhenDue() {
        try {
            Head head = head();
            Optional<Seal> last = lastSeal();
            Instant now = clock.instant();
            boolean due = last.isEmpty() || head.seq() - last.get().seq() >= settings.sealEvery()
                    || !last.get().sealedAt().plus(settings.sealInterval()).isAfter(now)
                    || (lastFailure.get() != null && head.seq() > last.get().seq());
            if (due) {
                seal(head);
                lastFailure.set(null);
            }
        } catch (IOException | RuntimeException e) {
            lastFailure.set(e.getMessage());
            log.warn("Could not seal the decision log of {}: {}", service, e.toString());
        }
        watch();
    }

    /** Signs the head as it is now, and keeps and publishes the seal. */
    Seal sealNow() throws IOException {
        return seal(head());
    }

    private Seal seal(Head head) throws IOException {
        Instant sealedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] message = DecisionLog.sealMessage(service, head.seq(), head.hash(), sealedAt);
        byte[] signature = Ed25519Keys.sign(key, message);
        byte[] token = authority == null ? null : authority.timestamp(DecisionLog.sha256(message));
        Seal seal = new Seal(head.seq(), head.hash(), sealedAt, keyId, signature, token);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO decision_log_seal (seq, head_hash, sealed_at, key_id, signature, timestamp_token) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(seal.seq(), seal.headHash(), Timestamp.from(sealedAt), keyId, signature, token).update();
            publish(seal);
        });
        return seal;
    }

    private void publish(Seal seal) {
        Base64.Encoder base64 = Base64.getEncoder();
        DecisionLogSealed sealed = new DecisionLogSealed(service, seal.seq(), base64.encodeToString(seal.headHash()), seal.sealedAt(),
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

    /** How long the oldest entry not covered by a seal has waited, and the alert when that is too long. */
    private void watch() {
        try {
            Instant oldestUnsealed = jdbc.sql("SELECT min(recorded_at) FROM decision_log WHERE seq > (SELECT coalesce(max(seq), 0) FROM decision_log_seal)")
                    .query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(null);
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
        } catch (RuntimeException e) {
            log.debug("Could not read the decision log's unsealed age: {}", e.toString());
        }
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

    private Head head() {
        return jdbc.sql("SELECT seq, entry_hash FROM decision_log_head").query((row, i) -> new Head(row.getLong(1), row.getBytes(2))).single();
    }

    private Optional<Seal> lastSeal() {
        return jdbc.sql("SELECT seq, head_hash, sealed_at, key_id, signature, timestamp_token FROM decision_log_seal ORDER BY id DESC LIMIT 1")
                .query((row, i) -> new Seal(row.getLong(1), row.getBytes(2), row.getTimestamp(3).toInstant(), row.getString(4), row.getBytes(5),
                        row.getBytes(6)))
                .optional();
    }
}
