package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationAmended;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.Channel;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry after approval: a certificate revoked withdraws the approval, once, by a signed verdict
 * with the rules' reason; the same change read again withdraws nothing more; the certificate reinstated
 * reinstates nothing; and an amendment is checked again, never carried forward from the withdrawn approval.
 */
class RegistryFollowerTest extends KitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WITHDRAWN = EventType.APPROVAL_WITHDRAWN.ceType();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    VerdictSignatures signatures;
    @Autowired
    MovableClock clock;
    @Autowired
    AgencyRules rules;
    @Autowired
    Registry registryClient;
    @Autowired
    Checks checks;
    @Autowired
    AgencyCheckPipeline pipeline;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    AgencyCheckSettings settings;

    @Test
    void aCertificateRevokedAfterApprovalWithdrawsTheApprovalOnceAndOnlyANewCheckCanApproveAgain() {
        String uscc = uniqueUscc("F");
        String name = "榕城跟随测试有限公司";
        ApplicationSubmitted application = application(uscc, name);
        String id = application.applicationId().toString();

        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            approve(kafka, application, "2030-01-01");

            registry.stubFor(post("/certificates/lookup").willReturn(okJson(answer(record(uscc, name, "REVOKED", "2030-01-01")))));
            registry.stubFor(get(urlPathEqualTo("/changes")).withQueryParam("after", equalTo("0")).atPriority(1)
                    .willReturn(okJson(page(1, uscc, name, "REVOKED"))));
            List<KafkaProbe.Record> seen = kafka.awaitUntil(records -> withdrawals(records, id).size() == 1, Duration.ofSeconds(30));

            ApprovalWithdrawn withdrawal = JSON.readValue(withdrawals(seen, id).get(0).value(), ApprovalWithdrawn.class);
            assertThat(withdrawal.revision()).isEqualTo(1);
            assertThat(withdrawal.agency()).isEqualTo(Agency.FOREX);
            assertThat(withdrawal.reasons()).singleElement().satisfies(reason -> {
                assertThat(reason.code()).isEqualTo("FOREX_TEST_CERTIFICATE_REVOKED");
                assertThat(reason.zh()).contains("测试证书");
                assertThat(reason.en()).contains("test certificate");
            });
            assertThat(signatures.problemWith(withdrawal)).isEmpty();
            assertThat(cursor()).isEqualTo(1);

            // The same change delivered again (the cursor set back, as after a crash before the commit): nothing more.
            jdbc.sql("UPDATE registry_feed SET next_cursor = 0").update();
            awaitCursor(1);
            // The certificate reinstated: the change is followed, and reinstates nothing.
            registry.stubFor(post("/certificates/lookup").willReturn(okJson(answer(record(uscc, name, "VALID", "2030-01-01")))));
            registry.stubFor(get(urlPathEqualTo("/changes")).withQueryParam("after", equalTo("1")).atPriority(1)
                    .willReturn(okJson(page(2, uscc, name, "VALID"))));
            awaitCursor(2);
            seen = kafka.readFor(Duration.ofSeconds(2));
            assertThat(withdrawals(seen, id)).hasSize(1);
            assertThat(forApplication(seen, id)).as("a verdict and a withdrawal, nothing else").hasSize(2);

            // An amendment with the same inputs: a withdrawn approval is not carried forward, the rules decide again.
            publishAmendment(kafka, application);
            seen = kafka.awaitUntil(records -> forApplication(records, id).anyMatch(r -> r.text().contains("\"revision\":2")),
                    Duration.ofSeconds(60));
            VerdictIssued again = JSON.readValue(forApplication(seen, id).filter(r -> r.text().contains("\"revision\":2"))
                    .findFirst().orElseThrow().value(), VerdictIssued.class);
            assertThat(again.decidedBy().id()).isEqualTo("kit-test-rules/1");
            assertThat(again.outcome().name()).isEqualTo("APPROVED");
        }
    }

    @Test
    void aCertificateThatRunsOutWithNoChangeOnTheFeedWithdrawsTheApprovalOnceItsLastDayHasPassed() {
        LocalDate lastDay = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(40);
        ApplicationSubmitted application = application(uniqueUscc("E"), "榕城到期测试有限公司");
        String id = application.applicationId().toString();

        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            approve(kafka, application, lastDay.toString());
            assertThat(withdrawals(kafka.readFor(Duration.ofSeconds(2)), id)).as("in force: nothing to withdraw").isEmpty();

            // Forty-one days on, with nothing on the feed: the registry still says what it said, and that has run out.
            clock.advance(Duration.ofDays(41));
            List<KafkaProbe.Record> seen;
            try {
                seen = kafka.awaitUntil(records -> withdrawals(records, id).size() == 1, Duration.ofSeconds(30));
                seen = kafka.readFor(Duration.ofSeconds(2));
            } finally {
                clock.reset();
            }
            assertThat(withdrawals(seen, id)).hasSize(1);
            ApprovalWithdrawn withdrawal = JSON.readValue(withdrawals(seen, id).get(0).value(), ApprovalWithdrawn.class);
            assertThat(withdrawal.reasons()).extracting(r -> r.code()).containsExactly("FOREX_TEST_CERTIFICATE_EXPIRED");
            assertThat(withdrawal.reasons().get(0).en()).contains(lastDay.toString());
        }
    }

    @Test
    void threeFollowersReadingTheSameChangeAtOnceWithdrawTheApprovalOnce() throws Exception {
        String uscc = uniqueUscc("R");
        String name = "榕城并发测试有限公司";
        ApplicationSubmitted application = application(uscc, name);
        String id = application.applicationId().toString();

        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            approve(kafka, application, "2030-01-01");
            // Two more instances of the follower besides the service's own, all on one database and one registry.
            List<RegistryFollower> others = List.of(anotherFollower(), anotherFollower());
            CyclicBarrier together = new CyclicBarrier(others.size());
            registry.stubFor(post("/certificates/lookup").willReturn(okJson(answer(record(uscc, name, "REVOKED", "2030-01-01")))
                    .withFixedDelay(200)));
            registry.stubFor(get(urlPathEqualTo("/changes")).withQueryParam("after", equalTo("0")).atPriority(1)
                    .willReturn(okJson(page(1, uscc, name, "REVOKED"))));
            ExecutorService threads = Executors.newFixedThreadPool(others.size());
            try {
                for (RegistryFollower follower : others) {
                    threads.submit(() -> {
                        together.await();
                        return follower.follow();
                    });
                }
                awaitCursor(1);
                List<KafkaProbe.Record> seen = kafka.awaitUntil(records -> withdrawals(records, id).size() >= 1, Duration.ofSeconds(30));
                seen = kafka.readFor(Duration.ofSeconds(3));
                assertThat(withdrawals(seen, id)).hasSize(1);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private RegistryFollower anotherFollower() {
        return new RegistryFollower(rules, registryClient, checks, pipeline, new TransactionTemplate(transactions),
                settings.registryFeed(), new SimpleMeterRegistry());
    }

    /** A USCC of this run's own, so no other test's approval rests on its certificate. */
    private static String uniqueUscc(String letter) {
        return "91350100" + letter + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000)) + "X";
    }

    /**
     * The application approved on a valid certificate lasting until {@code validUntil}, with nothing on the feed and
     * the feed's cursor at its start.
     */
    private void approve(KafkaProbe kafka, ApplicationSubmitted application, String validUntil) {
        String uscc = application.enterprise().uscc();
        registry.resetAll();
        registry.stubFor(get(urlPathEqualTo("/changes")).atPriority(10).willReturn(okJson("{\"changes\": []}")));
        registry.stubFor(post("/certificates/lookup").willReturn(okJson(answer(record(uscc, application.enterprise().name(),
                "VALID", validUntil)))));
        jdbc.sql("UPDATE registry_feed SET next_cursor = 0").update();
        publish(kafka, application);
        String id = application.applicationId().toString();
        kafka.awaitUntil(seen -> forApplication(seen, id).anyMatch(r -> r.text().contains("\"outcome\":\"APPROVED\"")),
                Duration.ofSeconds(60));
    }

    private static String page(long cursor, String uscc, String name, String status) {
        return "{\"changes\": [{\"cursor\": " + cursor + ", \"collection\": \"certificates\", \"record\": "
                + record(uscc, name, status, "2030-01-01") + "}], \"next\": " + cursor + "}";
    }

    private void publishAmendment(KafkaProbe kafka, ApplicationSubmitted submitted) {
        ApplicationAmended amended = new ApplicationAmended(submitted.applicationId(), 2, submitted.slipNumber(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Channel.ONLINE, submitted.submittedBy(), submitted.enterprise(),
                submitted.legalRepresentative(), submitted.operators());
        kafka.sendAs("intake", Topics.APPLICATIONS, amended.applicationId().toString(),
                CloudEventHeaders.of(amended, UUID.randomUUID().toString(), "/eport/intake", Instant.now()),
                JSON.writeValueAsBytes(amended));
    }

    private long cursor() {
        return jdbc.sql("SELECT next_cursor FROM registry_feed").query(Long.class).single();
    }

    private void awaitCursor(long expected) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (cursor() != expected) {
            assertThat(Instant.now()).as("the follower reached cursor " + expected).isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static java.util.stream.Stream<KafkaProbe.Record> forApplication(List<KafkaProbe.Record> records, String id) {
        return records.stream().filter(r -> r.key().equals(id));
    }

    private static List<KafkaProbe.Record> withdrawals(List<KafkaProbe.Record> records, String id) {
        return forApplication(records, id).filter(r -> WITHDRAWN.equals(r.header(CloudEventHeaders.TYPE))).toList();
    }
}
