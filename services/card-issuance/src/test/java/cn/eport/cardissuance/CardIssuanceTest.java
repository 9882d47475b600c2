package cn.eport.cardissuance;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.IncomingRecord;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guarantees 2 and 3 at the aggregator: it counts agencies per revision, never events; a final
 * verdict never flips; only the current revision counts, whatever the order of arrival; and the
 * card set is issued at most once, by a constraint rather than by timing.
 */
@SpringBootTest(classes = CardIssuanceApplication.class, properties = "spring.config.name=card-issuance")
@ContextConfiguration(initializers = RealInfrastructure.class)
class CardIssuanceTest {

    private static final AtomicLong OFFSETS = new AtomicLong();
    private static final int RACES = 50;

    @Autowired
    EventConsumer consumer;
    @Autowired
    CardIssuance issuance;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void allSixApprovalsIssueOneCardSetWithACardForEveryHolder() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }

        assertThat(cardSets(application)).isEqualTo(1);
        String cards = cardsIssuedPayload(application);
        assertThat(cards).contains("\"legalPersonCard\"", "\"holderName\":\"林晓明\"", "\"holderName\":\"陈静\"", "\"cardReaders\":2");
        assertThat(cards).containsPattern("\"cardNumber\":\"LP[0-9]{11}\"").containsPattern("\"cardNumber\":\"OP[0-9]{11}\"");
    }

    @Test
    void threeCopiesOfOneApprovalCountOnce() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));
        for (Agency agency : List.of(Agency.QUALITY, Agency.COMMERCE, Agency.TAX, Agency.TRADE, Agency.FOREX)) {
            VerdictIssued approval = verdict(application, 1, agency, Outcome.APPROVED);
            // Three copies, each under its own event id: the inbox cannot catch them, the count must.
            deliver(approval);
            deliver(approval);
            deliver(approval);
        }

        assertThat(cardSets(application)).isZero();
        deliver(verdict(application, 1, Agency.CUSTOMS, Outcome.APPROVED));
        assertThat(cardSets(application)).isEqualTo(1);
    }

    @Test
    void aDifferentFinalVerdictForTheSameRevisionIsRecordedAsAConflictNotApplied() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));
        deliver(verdict(application, 1, Agency.TAX, Outcome.REJECTED));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }

        assertThat(cardSets(application)).isZero();
        assertThat(jdbc.sql("SELECT outcome FROM verdicts WHERE application_id = ? AND agency = 'TAX'").param(application)
                .query(String.class).single()).isEqualTo("REJECTED");
        assertThat(jdbc.sql("SELECT standing_outcome || '->' || conflicting_outcome FROM verdict_conflicts WHERE application_id = ?")
                .param(application).query(String.class).list()).containsExactly("REJECTED->APPROVED");
    }

    @Test
    void aReferralIsReplacedByTheReviewersFinalVerdict() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));
        deliver(verdict(application, 1, Agency.FOREX, Outcome.REFERRED));
        for (Agency agency : Agency.values()) {
            if (agency != Agency.FOREX) {
                deliver(verdict(application, 1, agency, Outcome.APPROVED));
            }
        }
        assertThat(cardSets(application)).isZero();

        deliver(verdict(application, 1, Agency.FOREX, Outcome.APPROVED));

        assertThat(cardSets(application)).isEqualTo(1);
    }

    @Test
    void aReferralAndTheReviewersApprovalInOneBatchCountAsTheApproval() {
        // A batch after a restart can hold both; batched inserts cannot say which row was new.
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));
        List<ApplicationEvent> backlog = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            if (agency == Agency.COMMERCE) {
                backlog.add(verdict(application, 1, agency, Outcome.REFERRED));
            }
            backlog.add(verdict(application, 1, agency, Outcome.APPROVED));
        }

        deliverTogether(backlog);

        assertThat(cardSets(application)).isEqualTo(1);
    }

    @Test
    void aConflictingFinalVerdictInTheSameBatchIsRecordedAndNeverApplied() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));

        deliverTogether(List.of(verdict(application, 1, Agency.TAX, Outcome.REJECTED), verdict(application, 1, Agency.TAX, Outcome.APPROVED)));

        assertThat(jdbc.sql("SELECT outcome FROM verdicts WHERE application_id = ? AND agency = 'TAX'").param(application)
                .query(String.class).single()).isEqualTo("REJECTED");
        assertThat(jdbc.sql("SELECT standing_outcome || '->' || conflicting_outcome FROM verdict_conflicts WHERE application_id = ?")
                .param(application).query(String.class).list()).containsExactly("REJECTED->APPROVED");
    }

    @Test
    void approvalsOfAnOlderRevisionDoNotCountForTheCurrentOneWhateverTheOrderOfArrival() {
        UUID application = UUID.randomUUID();
        // Revision 2's verdicts arrive before revision 2 itself; revision 1 arrives last of all.
        for (Agency agency : Agency.values()) {
            if (agency != Agency.TRADE) {
                deliver(verdict(application, 2, agency, Outcome.APPROVED));
            }
        }
        deliver(submitted(application, 2));
        deliver(registeredAtTelecom(application));
        deliver(verdict(application, 1, Agency.TRADE, Outcome.APPROVED));
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));

        assertThat(cardSets(application)).isZero();
        assertThat(jdbc.sql("SELECT revision FROM applications WHERE application_id = ?").param(application)
                .query(Integer.class).single()).isEqualTo(2);

        deliver(verdict(application, 2, Agency.TRADE, Outcome.APPROVED));

        assertThat(cardSets(application)).isEqualTo(1);
        assertThat(cardsIssuedPayload(application)).contains("\"revision\":2");
    }

    @Test
    void twoTransactionsRacingToIssueTheSameSetIssueItOnce() throws Exception {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(registeredAtTelecom(application));
        for (Agency agency : Agency.values()) {
            if (agency != Agency.CUSTOMS) {
                deliver(verdict(application, 1, agency, Outcome.APPROVED));
            }
        }
        VerdictIssued last = verdict(application, 1, Agency.CUSTOMS, Outcome.APPROVED);
        CountDownLatch bothInside = new CountDownLatch(2);
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                done.add(racers.submit(() -> transaction.executeWithoutResult(status -> {
                    bothInside.countDown();
                    awaitQuietly(bothInside);
                    consumer.consume(List.of(record(last, UUID.randomUUID().toString())), issuance::handle);
                })));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            racers.shutdownNow();
        }

        assertThat(cardSets(application)).isEqualTo(1);
        // The decision log, not the outbox: the relay deletes an outbox row once it is sent, and may have already.
        assertThat(jdbc.sql("SELECT count(*) FROM decision_log WHERE topic = 'eport.cards' AND record_key = ?")
                .param(application.toString()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void theSixthApprovalAndTelecomsRegistrationCommittingAtOnceOnTwoThreadsIssueExactlyOneCardSet() throws Exception {
        // Each application's two last conditions arrive together, one on each consumer thread: without the decision
        // serialised per application, each transaction misses the other's uncommitted row and no card set is issued.
        List<UUID> applications = new ArrayList<>();
        ExecutorService consumerThreads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < RACES; i++) {
                UUID application = UUID.randomUUID();
                applications.add(application);
                deliver(submitted(application, 1));
                for (Agency agency : Agency.values()) {
                    if (agency != Agency.CUSTOMS) {
                        deliver(verdict(application, 1, agency, Outcome.APPROVED));
                    }
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (ApplicationEvent last : List.of(verdict(application, 1, Agency.CUSTOMS, Outcome.APPROVED), registeredAtTelecom(application))) {
                    IncomingRecord record = record(last, UUID.randomUUID().toString());
                    done.add(consumerThreads.submit(() -> {
                        awaitQuietly(start);
                        consumer.consume(List.of(record), issuance::handle);
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get();
                }
            }
        } finally {
            consumerThreads.shutdownNow();
        }

        Map<UUID, Integer> notExactlyOne = new LinkedHashMap<>();
        for (UUID application : applications) {
            if (cardSets(application) != 1) {
                notExactlyOne.put(application, cardSets(application));
            }
        }
        assertThat(notExactlyOne).as("applications of %d races without exactly one card set", RACES).isEmpty();
    }

    @Test
    void anApplicationCarryingOnlyTheFieldsItsSchemaRequiresGetsItsCards() {
        // No customs broker certificate for anyone, none of the optional identifiers, and a field from a later version.
        UUID application = UUID.randomUUID();
        String submitted = """
                {"applicationId": "%s", "revision": 1, "slipNumber": "YY2026000000011", "submittedAt": "2026-03-01T09:00:00Z",
                 "channel": "PAPER", "submittedBy": "clerk-1",
                 "enterprise": {"name": "榕城进出口贸易有限公司", "type": "DOMESTIC", "customsRegistrationCode": "3501910123",
                                "address": "福州市鼓楼区五四路1号", "legalRepresentative": "林晓明", "contactPhone": "0591-87654321"},
                 "legalRepresentative": {"name": "林晓明", "maskedIdNumber": "110***********002X"},
                 "operators": [{"name": "陈静", "maskedIdNumber": "350***********0021"}],
                 "addedInALaterVersion": {"anything": true}}""".formatted(application);
        byte[] value = submitted.getBytes(StandardCharsets.UTF_8);
        IncomingRecord record = new IncomingRecord(Topics.APPLICATIONS, 0, OFFSETS.incrementAndGet(), application.toString(),
                DevKeys.signedAsTopicWriter(Topics.APPLICATIONS, application.toString(),
                        CloudEventHeaders.of(submitted(application, 1), UUID.randomUUID().toString(), "/eport/intake", Instant.now()),
                        value), value);
        consumer.consume(List.of(record), issuance::handle);
        deliver(registeredAtTelecom(application));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }

        assertThat(cardSets(application)).isEqualTo(1);
        assertThat(cardsIssuedPayload(application)).contains("\"holderName\":\"陈静\"", "\"maskedIdNumber\":\"350***********0021\"")
                .doesNotContain("customsBrokerCertificate", "null");
    }

    @Test
    void sixApprovalsWaitForTelecomsRegistration() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }
        assertThat(cardSets(application)).isZero();

        deliver(registeredAtTelecom(application));

        assertThat(cardSets(application)).isEqualTo(1);
    }

    @Test
    void aWithdrawnApplicationGetsNoCardsWhateverArrivesAfterwards() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1));
        deliver(verdict(application, 1, Agency.QUALITY, Outcome.APPROVED));
        deliver(new ApplicationWithdrawn(application, 1, Instant.now(), "enterprise-test"));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }
        deliver(registeredAtTelecom(application));

        assertThat(cardSets(application)).isZero();
    }

    private void deliverTogether(List<ApplicationEvent> events) {
        consumer.consume(events.stream().map(e -> record(e, UUID.randomUUID().toString())).toList(), issuance::handle);
    }

    private void deliver(ApplicationEvent event) {
        consumer.consume(List.of(record(event, UUID.randomUUID().toString())), issuance::handle);
    }

    private IncomingRecord record(ApplicationEvent event, String eventId) {
        String key = event.applicationId().toString();
        byte[] value = json.writeValueAsBytes(event);
        return new IncomingRecord(Topics.of(event), 0, OFFSETS.incrementAndGet(), key, DevKeys.signedAsTopicWriter(Topics.of(event), key,
                CloudEventHeaders.of(event, eventId, "/eport/test", Instant.now()), value), value);
    }

    private int cardSets(UUID application) {
        return jdbc.sql("SELECT count(*) FROM card_sets WHERE application_id = ?").param(application).query(Integer.class).single();
    }

    private String cardsIssuedPayload(UUID application) {
        // What the relay sends, from the decision log that holds every published record: the outbox row may be gone already.
        return jdbc.sql("""
                        SELECT convert_from(payload, 'UTF8') FROM decision_log
                        WHERE topic = 'eport.cards' AND record_key = ?""")
                .param(application.toString()).query(String.class).single();
    }

    private static TelecomRegistered registeredAtTelecom(UUID application) {
        return new TelecomRegistered(application, "YY2026000000011", "M000100Y4", "17999000123", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                "telecom-clerk-01");
    }

    private static ApplicationSubmitted submitted(UUID application, int revision) {
        return new ApplicationSubmitted(application, revision, "YY2026000000011", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Channel.ONLINE, "enterprise-test",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                        "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
                        "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0021", "BG35010001")));
    }

    private static VerdictIssued verdict(UUID application, int revision, Agency agency, Outcome outcome) {
        VerdictSignatures agencyKey = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(agency.id()), Map.of()));
        return agencyKey.sign(new VerdictIssued(application, revision, agency, outcome, Collections.emptyList(),
                new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
