package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.LocalTimestampAuthority;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sealed decision log (docs/evidence.md): every published event is a chained entry of the same
 * transaction, concurrent publishers chain in commit order, seals sign (and timestamp) the head, and
 * a row changed, removed or inserted in the database is found by the chain check.
 */
@MessagingTest
class DecisionLogTest {

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DecisionEvidence evidence;
    @Autowired
    DecisionSealer sealer;
    @Autowired
    JsonMapper json;
    @Autowired
    SigningSettings signing;
    @Autowired
    DecisionLogSettings settings;

    @Test
    void eachPublishedEventIsAnEntryOfTheTransactionThatPublishedIt() {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> {
            outbox.publish(Events.cards(application, 1));
            outbox.publish(Events.cards(application, 2));
        });
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            outbox.publish(Events.cards(application, 3));
            throw new IllegalStateException("the state change failed");
        })).hasMessage("the state change failed");

        List<String> topics = jdbc.sql("SELECT topic FROM decision_log WHERE application_id = ? ORDER BY seq")
                .param(application.toString()).query(String.class).list();
        assertThat(topics).containsExactly(Topics.CARDS, Topics.CARDS);
        assertThat(evidence.check().problems()).isEmpty();
    }

    @Test
    void transactionsPublishingAtOnceChainWithoutGapOrFork() throws Exception {
        long before = heads();
        ExecutorService publishers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                done.add(publishers.submit(() -> transaction.executeWithoutResult(status -> outbox.publish(Events.cards(UUID.randomUUID(), 1)))));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            publishers.shutdown();
        }

        assertThat(heads()).isEqualTo(before + 200);
        DecisionEvidence.ChainCheck check = evidence.check();
        assertThat(check.problems()).isEmpty();
        assertThat(check.intact()).isTrue();
        assertThat(check.entries()).isEqualTo(check.head());
    }

    @Test
    void aSealSignsTheHeadWithTheServicesKeyAndIsPublished() throws IOException {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));

        List<DecisionSealer.Seal> seals = sealer.sealNow();

        assertThat(seals).extracting(DecisionSealer.Seal::lane).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        DecisionSealer.Seal seal = seals.get(lane(application));
        assertThat(seal.seq()).isEqualTo(head(lane(application)));
        byte[] message = DecisionLog.sealMessage("messaging-test", seal.lane(), seal.seq(), seal.headHash(), seal.sealedAt());
        assertThat(Ed25519Keys.verifies(Ed25519Keys.publicKey("messaging-test", signing.publicKeys().get("messaging-test")), message,
                seal.signature())).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE topic = ? AND headers ->> 'ce_type' = 'cn.eport.decision-log.sealed.v1'")
                .param(Topics.seals("messaging-test")).query(Long.class).single()).isPositive();
        DecisionEvidence.ChainCheck check = evidence.check();
        assertThat(check.problems()).isEmpty();
        assertThat(check.sealedUpTo()).as("every entry of every lane sealed").isEqualTo(check.entries());
    }

    @Test
    void aCasesPartPlacesEachOfItsEntriesInTheChainUnderASeal() throws IOException {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(UUID.randomUUID(), 1)));
        sealer.sealNow();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(UUID.randomUUID(), 1)));
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));
        sealer.sealNow();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 2)));

        EvidenceBundle.ServiceEvidence part = evidence.partOf(application);

        assertThat(part.service()).isEqualTo("messaging-test");
        assertThat(part.lane()).isEqualTo(lane(application));
        assertThat(part.entries()).hasSize(3);
        assertThat(part.segments()).hasSize(3);
        assertThat(part.segments().get(0).seal()).isNotNull();
        assertThat(part.segments().get(1).seal()).isNotNull();
        assertThat(part.segments().get(2).seal()).as("the last entry is not sealed yet").isNull();
        for (EvidenceBundle.Segment segment : part.segments()) {
            byte[] hash = Base64.getDecoder().decode(segment.start().entryHash());
            long seq = segment.start().seq();
            for (EvidenceBundle.ChainLink link : segment.chain()) {
                assertThat(link.seq()).isEqualTo(++seq);
                hash = DecisionLog.entryHash(part.lane(), link.seq(), hash, Base64.getDecoder().decode(link.contentHash()));
            }
            if (segment.seal() != null) {
                assertThat(Base64.getEncoder().encodeToString(hash)).isEqualTo(segment.seal().headHash());
            }
        }
        for (EvidenceBundle.Entry entry : part.entries()) {
            byte[] content = DecisionLog.contentHash(entry.topic(), entry.key(), entry.headers(), Base64.getDecoder().decode(entry.value()));
            assertThat(part.segments().stream().flatMap(segment -> segment.chain().stream())
                    .filter(link -> link.seq() == entry.seq()).findFirst().orElseThrow().contentHash())
                    .isEqualTo(Base64.getEncoder().encodeToString(content));
        }
    }

    @Test
    void anAlteredRowIsFoundByTheChainCheck() throws IOException {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));
        sealer.sealNow();
        int lane = lane(application);
        long seq = jdbc.sql("SELECT seq FROM decision_log WHERE application_id = ?").param(application.toString()).query(Long.class).single();

        List<String> problems = tamperedAndChecked("UPDATE decision_log SET payload = replace(convert_from(payload, 'UTF8'), 'revision', 'REVISION')::bytea"
                + " WHERE lane = " + lane + " AND seq = " + seq);

        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("entry " + seq + " of lane " + lane).contains("was altered"));
    }

    @Test
    void aRemovedRowIsFoundByTheChainCheck() throws IOException {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 2)));
        sealer.sealNow();
        int lane = lane(application);
        long seq = head(lane) - 1;

        List<String> problems = tamperedAndChecked("DELETE FROM decision_log WHERE lane = " + lane + " AND seq = " + seq);

        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("entries " + seq + " to " + seq + " of lane " + lane + " are missing"));
    }

    @Test
    void aRowRecomputedToHideAChangeStillBreaksTheSealAboveIt() throws IOException {
        UUID application = UUID.randomUUID();
        transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));
        sealer.sealNow();
        int lane = lane(application);
        long seq = head(lane);
        String headers = jdbc.sql("SELECT headers::text FROM decision_log WHERE lane = ? AND seq = ?").params(lane, seq).query(String.class).single();
        byte[] forged = json.writeValueAsBytes(Events.cards(application, 9));
        byte[] previous = jdbc.sql("SELECT entry_hash FROM decision_log WHERE lane = ? AND seq = ?").params(lane, seq - 1).query(byte[].class).optional()
                .orElse(DecisionLog.GENESIS);
        byte[] content = DecisionLog.contentHash(Topics.CARDS, application.toString(),
                json.readValue(headers, new tools.jackson.core.type.TypeReference<java.util.Map<String, String>>() {
                }), forged);
        byte[] entry = DecisionLog.entryHash(lane, seq, previous, content);

        List<String> problems = new ArrayList<>();
        transaction.executeWithoutResult(status -> {
            jdbc.sql("UPDATE decision_log SET payload = ?, content_hash = ?, entry_hash = ? WHERE lane = ? AND seq = ?")
                    .params(forged, content, entry, lane, seq).update();
            jdbc.sql("UPDATE decision_log_head SET entry_hash = ? WHERE lane = ?").params(entry, lane).update();
            problems.addAll(evidence.check().problems());
            status.setRollbackOnly();
        });

        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("seal").contains("at entry " + seq + " of lane " + lane)
                .contains("no longer matches the chain"));
    }

    @Test
    void aTimestampingAuthorityTimestampsTheSealAndItsOutageIsAnAlert() throws Exception {
        try (LocalTimestampAuthority tsa = LocalTimestampAuthority.start()) {
            DecisionLogSettings strict = new DecisionLogSettings(true, Duration.ofHours(1), 1, Duration.ZERO, URI.create(tsa.url()),
                    Duration.ofSeconds(5));
            DecisionSealer timestamped = sealerWith(strict);
            UUID application = UUID.randomUUID();
            transaction.executeWithoutResult(status -> outbox.publish(Events.cards(application, 1)));

            DecisionSealer.Seal seal = timestamped.sealNow(lane(application));

            assertThat(seal.timestampToken()).isNotNull();
            org.bouncycastle.tsp.TimeStampToken token = new org.bouncycastle.tsp.TimeStampToken(
                    new org.bouncycastle.cms.CMSSignedData(seal.timestampToken()));
            assertThat(token.getTimeStampInfo().getMessageImprintDigest())
                    .isEqualTo(DecisionLog.sha256(DecisionLog.sealMessage("messaging-test", seal.lane(), seal.seq(), seal.headHash(), seal.sealedAt())));

            tsa.failWith(503);
            transaction.executeWithoutResult(status -> outbox.publish(Events.cards(UUID.randomUUID(), 1)));
            long sealsBefore = seals();
            Thread.sleep(1_100);
            timestamped.sealWhenDue();

            assertThat(seals()).as("no seal without its timestamp").isEqualTo(sealsBefore);
            assertThat(timestamped.alerting()).isTrue();
            assertThat(timestamped.unsealedFor()).isPositive();
            assertThat(timestamped.lastFailure()).contains("503");

            tsa.recover();
            timestamped.sealWhenDue();
            assertThat(timestamped.alerting()).isFalse();
            assertThat(seals()).as("the lane that waited is sealed, with its timestamp").isGreaterThan(sealsBefore);
        }
    }

    private DecisionSealer sealerWith(DecisionLogSettings settings) {
        var key = Ed25519Keys.privateKey(signing.privateKey());
        return new DecisionSealer(jdbc, new TransactionTemplate(transactions), outbox, json, settings, "messaging-test", key,
                VerdictSignatures.idOfKeyPair(key), settings.tsaUrl() == null ? null : new TimestampAuthority(settings.tsaUrl(), settings.tsaTimeout()),
                Clock.systemUTC());
    }

    /** The chain check's problems with {@code tampering} done, in a transaction rolled back after. */
    private List<String> tamperedAndChecked(String tampering) {
        List<String> problems = new ArrayList<>();
        transaction.executeWithoutResult(status -> {
            jdbc.sql(tampering).update();
            problems.addAll(evidence.check().problems());
            status.setRollbackOnly();
        });
        assertThat(evidence.check().problems()).as("the tampering was rolled back").isEmpty();
        return problems;
    }

    private long head(int lane) {
        return jdbc.sql("SELECT seq FROM decision_log_head WHERE lane = ?").param(lane).query(Long.class).single();
    }

    /** The heads of all lanes added up: the entries there are. */
    private long heads() {
        return jdbc.sql("SELECT sum(seq) FROM decision_log_head").query(Long.class).single();
    }

    private static int lane(UUID application) {
        return DecisionLog.laneOf(application.toString());
    }

    private long seals() {
        return jdbc.sql("SELECT count(*) FROM decision_log_seal").query(Long.class).single();
    }
}
