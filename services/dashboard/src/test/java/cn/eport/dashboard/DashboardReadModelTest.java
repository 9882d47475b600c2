package cn.eport.dashboard;

import static cn.eport.dashboard.TestEvents.amended;
import static cn.eport.dashboard.TestEvents.cards;
import static cn.eport.dashboard.TestEvents.reviewed;
import static cn.eport.dashboard.TestEvents.submitted;
import static cn.eport.dashboard.TestEvents.telecomRegistered;
import static cn.eport.dashboard.TestEvents.verdict;
import static cn.eport.dashboard.TestEvents.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.CardSetCancelled;
import cn.eport.contracts.CardsReinstated;
import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.IncomingRecord;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.web.WebSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read model, fed through the platform's consumer exactly as the Kafka binding feeds it, on the
 * real database, at a fixed moment. Its own schema and no running bindings: nothing but these tests
 * writes to it, so the counts are exact.
 */
@SpringBootTest(classes = DashboardApplication.class, properties = {
        "spring.config.name=dashboard",
        "eport.database.schema=dashboard_read_model_test",
        "spring.cloud.stream.bindings.recordEvents-in-0.consumer.auto-startup=false",
        "spring.cloud.stream.bindings.countDeadLetters-in-0.consumer.auto-startup=false"})
@ContextConfiguration(initializers = RealInfrastructure.class)
@Import(DashboardReadModelTest.AtAFixedMoment.class)
class DashboardReadModelTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @TestConfiguration(proxyBeanMethods = false)
    static class AtAFixedMoment {
        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired
    EventConsumer consumer;
    @Autowired
    Projection projection;
    @Autowired
    DeadLetterCounter deadLetters;
    @Autowired
    DashboardView view;
    @Autowired
    ActivityCounts activity;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    WebSettings webSettings;

    TestEvents events;

    @BeforeEach
    void startEmpty() {
        events = new TestEvents(json);
        jdbc.sql("""
                TRUNCATE applications, agency_verdicts, withdrawals, telecom_registrations, card_sets, card_suspensions, timeline, dead_letters,
                    inbox, outbox, funnel_counts, agency_counts, pending_checks, dead_letter_counts, activity_minutes""")
                .update();
    }

    @Test
    void theFunnelCountsApplicationsEachAgencysDecisionsOnTheCurrentRevisionAndCardSets() {
        UUID approved = UUID.randomUUID();
        UUID rejected = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        deliver(submitted(approved, 1, slip, NOW.minusSeconds(600)));
        for (Agency agency : Agency.values()) {
            deliver(verdict(approved, 1, agency, Outcome.APPROVED, NOW.minusSeconds(300)));
        }
        deliver(telecomRegistered(approved, slip, NOW.minusSeconds(250)));
        deliver(cards(approved, 1, slip, NOW.minusSeconds(200)));
        deliver(submitted(rejected, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(500)));
        deliver(verdict(rejected, 1, Agency.QUALITY, Outcome.REJECTED, NOW.minusSeconds(100), reason("QUALITY_NOT_REGISTERED")));

        Snapshot snapshot = view.snapshot();

        assertThat(snapshot.funnel().submitted()).isEqualTo(2);
        assertThat(decided(snapshot, Agency.QUALITY)).isEqualTo(2);
        assertThat(decided(snapshot, Agency.TAX)).isEqualTo(1);
        assertThat(snapshot.funnel().approvedByAll()).isEqualTo(1);
        assertThat(snapshot.funnel().telecomRegistered()).isEqualTo(1);
        assertThat(snapshot.funnel().cardsIssued()).isEqualTo(1);
        assertThat(snapshot.funnel().withdrawn()).isZero();
        assertThat(row(snapshot, Agency.QUALITY)).extracting(Snapshot.AgencyRow::approved, Snapshot.AgencyRow::rejected,
                Snapshot.AgencyRow::referred, Snapshot.AgencyRow::reviewQueue).containsExactly(1L, 1L, 0L, 0L);
        assertThat(row(snapshot, Agency.QUALITY).zhName()).isEqualTo("质量技术监督局");
    }

    @Test
    void cardSetsAreCountedByStateAfterIssueAndEverySuspensionOnceByItsReason() {
        UUID active = UUID.randomUUID();
        UUID suspended = UUID.randomUUID();
        UUID reinstated = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        for (UUID application : List.of(active, suspended, reinstated, cancelled)) {
            deliver(cards(application, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(900)));
        }
        Reason revoked = reason("COMMERCE_BUSINESS_LICENCE_REVOKED");
        CardsSuspended withdrawal = new CardsSuspended(suspended, List.of("LP00000000001"), revoked, Agency.COMMERCE,
                "agency:commerce", NOW.minusSeconds(600));
        deliver(withdrawal);
        deliver(withdrawal);
        deliver(new CardsSuspended(active, List.of("OP00000000002"), reason(CardsSuspended.LOSS), null, "enterprise:enterprise-a",
                NOW.minusSeconds(500)));
        // A suspension and the reinstatement after it, in one batch.
        consumer.consume(List.of(
                events.record(new CardsSuspended(reinstated, List.of("LP00000000003"), revoked, Agency.COMMERCE, "agency:commerce",
                        NOW.minusSeconds(400)), UUID.randomUUID().toString(), NOW),
                events.record(new CardsReinstated(reinstated, 2, List.of("LP00000000003"), NOW.minusSeconds(300)),
                        UUID.randomUUID().toString(), NOW)), projection::apply);
        deliver(new CardSetCancelled(cancelled, List.of("LP00000000004"), "clerk:customs-clerk-01", NOW.minusSeconds(200)));
        deliver(new CardsReinstated(cancelled, 2, List.of("LP00000000004"), NOW.minusSeconds(100)));

        Snapshot.Cards cards = view.snapshot().cards();

        assertThat(cards.byState()).extracting(Snapshot.StateCount::state, Snapshot.StateCount::count)
                .containsExactly(tuple("ACTIVE", 2L), tuple("SUSPENDED", 1L), tuple("CANCELLED", 1L));
        assertThat(cards.suspensionsByReason()).extracting(Snapshot.ReasonCount::reason, Snapshot.ReasonCount::count)
                .containsExactly(tuple("COMMERCE_BUSINESS_LICENCE_REVOKED", 2L), tuple(CardsSuspended.LOSS, 1L));
    }

    @Test
    void aRedeliveredEventChangesNothingAndTheSameVerdictRepublishedCountsOnce() {
        UUID application = UUID.randomUUID();
        IncomingRecord submission = events.record(submitted(application, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(60)),
                UUID.randomUUID().toString(), NOW);
        consumer.consume(List.of(submission), projection::apply);
        consumer.consume(List.of(submission), projection::apply);
        VerdictIssued approval = verdict(application, 1, Agency.TAX, Outcome.APPROVED, NOW.minusSeconds(30));
        // The same event redelivered (one id), and the same verdict published again under new ids.
        String eventId = UUID.randomUUID().toString();
        consumer.consume(List.of(events.record(approval, eventId, NOW), events.record(approval, eventId, NOW)), projection::apply);
        deliver(approval);
        deliver(approval);

        Snapshot snapshot = view.snapshot();

        assertThat(snapshot.funnel().submitted()).isEqualTo(1);
        assertThat(row(snapshot, Agency.TAX).approved()).isEqualTo(1);
        assertThat(decided(snapshot, Agency.TAX)).isEqualTo(1);
        assertThat(row(snapshot, Agency.TAX).throughputPerMinute()).isEqualTo(0.2);
        assertThat(row(snapshot, Agency.TAX).pending()).isZero();
        // The timeline shows what was published: one submission, and the verdict each time it was published anew.
        assertThat(view.timeline(application.toString()).orElseThrow().events())
                .extracting(Timeline.Entry::kind).containsExactly("SUBMITTED", "VERDICT", "VERDICT", "VERDICT");
    }

    @Test
    void aReferralWaitsInTheReviewQueueUntilTheReviewersFinalVerdict() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(900)));
        deliver(verdict(application, 1, Agency.FOREX, Outcome.REFERRED, NOW.minusSeconds(800), reason("FOREX_MANUAL_REVIEW")));

        Snapshot.AgencyRow referred = row(view.snapshot(), Agency.FOREX);
        assertThat(referred.reviewQueue()).isEqualTo(1);
        assertThat(referred.referred()).isEqualTo(1);
        assertThat(referred.pending()).isZero();
        assertThat(decided(view.snapshot(), Agency.FOREX)).isZero();

        deliver(reviewed(application, 1, Agency.FOREX, Outcome.APPROVED, NOW.minusSeconds(100), "reviewer-forex-1"));
        // A late copy of the referral changes nothing: the final verdict stands.
        deliver(verdict(application, 1, Agency.FOREX, Outcome.REFERRED, NOW.minusSeconds(800), reason("FOREX_MANUAL_REVIEW")));

        Snapshot.AgencyRow decided = row(view.snapshot(), Agency.FOREX);
        assertThat(decided.reviewQueue()).isZero();
        assertThat(decided.referred()).isEqualTo(1);
        assertThat(decided.approved()).isEqualTo(1);
        assertThat(decided(view.snapshot(), Agency.FOREX)).isEqualTo(1);
    }

    @Test
    void aReferralAndItsDecisionInOneBatchLeaveTheQueueEmpty() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(900)));
        consumer.consume(List.of(
                events.record(verdict(application, 1, Agency.TRADE, Outcome.REFERRED, NOW.minusSeconds(800), reason("TRADE_MANUAL_REVIEW")),
                        UUID.randomUUID().toString(), NOW),
                events.record(reviewed(application, 1, Agency.TRADE, Outcome.REJECTED, NOW.minusSeconds(700), "reviewer-trade-1"),
                        UUID.randomUUID().toString(), NOW)), projection::apply);

        Snapshot.AgencyRow trade = row(view.snapshot(), Agency.TRADE);
        assertThat(trade).extracting(Snapshot.AgencyRow::reviewQueue, Snapshot.AgencyRow::referred, Snapshot.AgencyRow::rejected)
                .containsExactly(0L, 1L, 1L);
    }

    @Test
    void theOldestPendingCheckOfAnAgencyIsTheEarliestCurrentRevisionItHasNotDecided() {
        UUID early = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        String earlySlip = TestEvents.newSlipNumber();
        deliver(submitted(early, 1, earlySlip, NOW.minus(Duration.ofMinutes(10))));
        deliver(submitted(later, 1, TestEvents.newSlipNumber(), NOW.minus(Duration.ofMinutes(2))));
        deliver(verdict(early, 1, Agency.QUALITY, Outcome.APPROVED, NOW.minus(Duration.ofMinutes(5))));

        Snapshot snapshot = view.snapshot();
        assertThat(row(snapshot, Agency.QUALITY).pending()).isEqualTo(1);
        assertThat(row(snapshot, Agency.QUALITY).oldestPendingAgeSeconds()).isEqualTo(120);
        assertThat(row(snapshot, Agency.QUALITY).oldestPendingSince()).isEqualTo(NOW.minus(Duration.ofMinutes(2)));
        assertThat(row(snapshot, Agency.TAX).pending()).isEqualTo(2);
        assertThat(row(snapshot, Agency.TAX).oldestPendingAgeSeconds()).isEqualTo(600);

        // An amendment replaces the revision: its checks start again, and its own age counts.
        deliver(amended(early, 2, earlySlip, NOW.minus(Duration.ofMinutes(1))));
        Snapshot amended = view.snapshot();
        assertThat(row(amended, Agency.QUALITY).pending()).isEqualTo(2);
        assertThat(row(amended, Agency.QUALITY).oldestPendingAgeSeconds()).isEqualTo(120);
        assertThat(row(amended, Agency.TAX).oldestPendingAgeSeconds()).isEqualTo(120);
        assertThat(decided(amended, Agency.QUALITY)).isZero();

        for (Agency agency : Agency.values()) {
            deliver(verdict(later, 1, agency, Outcome.APPROVED, NOW.minusSeconds(10)));
            deliver(verdict(early, 2, agency, Outcome.APPROVED, NOW.minusSeconds(10)));
        }
        assertThat(view.snapshot().agencies()).allSatisfy(row -> {
            assertThat(row.pending()).isZero();
            assertThat(row.oldestPendingAgeSeconds()).isNull();
        });
    }

    @Test
    void aWithdrawnApplicationIsNeitherPendingNorQueuedAndAnAmendedOnesOldReferralLeavesTheQueue() {
        UUID withdrawnOne = UUID.randomUUID();
        UUID amendedOne = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        deliver(submitted(withdrawnOne, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(900)));
        deliver(verdict(withdrawnOne, 1, Agency.TAX, Outcome.REFERRED, NOW.minusSeconds(800), reason("TAX_MANUAL_REVIEW")));
        deliver(submitted(amendedOne, 1, slip, NOW.minusSeconds(700)));
        deliver(verdict(amendedOne, 1, Agency.TAX, Outcome.REFERRED, NOW.minusSeconds(600), reason("TAX_MANUAL_REVIEW")));
        assertThat(row(view.snapshot(), Agency.TAX).reviewQueue()).isEqualTo(2);
        assertThat(row(view.snapshot(), Agency.QUALITY).pending()).isEqualTo(2);

        deliver(withdrawn(withdrawnOne, 1, NOW.minusSeconds(500)));
        deliver(amended(amendedOne, 2, slip, NOW.minusSeconds(400)));

        Snapshot snapshot = view.snapshot();
        assertThat(row(snapshot, Agency.TAX).reviewQueue()).isZero();
        assertThat(row(snapshot, Agency.TAX).referred()).isEqualTo(2);
        assertThat(row(snapshot, Agency.TAX).pending()).isEqualTo(1);
        assertThat(row(snapshot, Agency.QUALITY).pending()).isEqualTo(1);
        assertThat(row(snapshot, Agency.QUALITY).oldestPendingAgeSeconds()).isEqualTo(400);
        assertThat(snapshot.funnel().withdrawn()).isEqualTo(1);
        assertThat(view.timeline(withdrawnOne.toString()).orElseThrow().events()).extracting(Timeline.Entry::kind)
                .containsExactly("SUBMITTED", "VERDICT", "WITHDRAWN");
        assertThat(view.timeline(slip).orElseThrow().events()).extracting(Timeline.Entry::kind)
                .containsExactly("SUBMITTED", "VERDICT", "AMENDED");
    }

    @Test
    void aRevisionArrivingAfterANewerOneDoesNotTurnTheApplicationBack() {
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        deliver(submitted(application, 2, slip, NOW.minusSeconds(60)));
        deliver(submitted(application, 1, slip, NOW.minusSeconds(600)));

        Timeline timeline = view.timeline(slip).orElseThrow();
        assertThat(timeline.revision()).isEqualTo(2);
        assertThat(row(view.snapshot(), Agency.CUSTOMS).oldestPendingAgeSeconds()).isEqualTo(60);
    }

    @Test
    void throughputIsDistinctVerdictsPerMinuteOverTheTrailingWindow() {
        for (int i = 0; i < 4; i++) {
            UUID application = UUID.randomUUID();
            deliver(submitted(application, 1, TestEvents.newSlipNumber(), NOW.minus(Duration.ofMinutes(20))));
            // Three inside the five-minute window, one before it.
            deliver(verdict(application, 1, Agency.COMMERCE, Outcome.APPROVED, NOW.minus(Duration.ofMinutes(i < 3 ? 1 + i : 10))));
        }

        assertThat(row(view.snapshot(), Agency.COMMERCE).throughputPerMinute()).isEqualTo(0.6);
        assertThat(row(view.snapshot(), Agency.CUSTOMS).throughputPerMinute()).isZero();
    }

    @Test
    void theLastHourCountsEachThingOnceInTheMinuteOfTheFirstEventThatToldOfIt() {
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        // Redelivered under its id, then published again under a new one: one submission.
        IncomingRecord submission = events.record(submitted(application, 1, slip, at("09:10:59")), UUID.randomUUID().toString(), NOW);
        consumer.consume(List.of(submission), projection::apply);
        consumer.consume(List.of(submission), projection::apply);
        deliver(submitted(application, 1, slip, at("09:10:59")));
        deliver(amended(application, 2, slip, at("09:20:00")));
        // The same referral twice, and the reviewer's decision after it: two verdicts of tax in that minute.
        VerdictIssued referral = verdict(application, 2, Agency.TAX, Outcome.REFERRED, at("09:30:00"), reason("TAX_MANUAL_REVIEW"));
        deliver(referral);
        deliver(referral);
        deliver(reviewed(application, 2, Agency.TAX, Outcome.APPROVED, at("09:30:40"), "reviewer-tax-1"));
        deliver(verdict(application, 2, Agency.QUALITY, Outcome.APPROVED, at("09:40:00")));
        // One card set per application: the first event that told of it says when.
        deliver(cards(application, 2, slip, NOW));
        deliver(cards(application, 2, slip, at("09:59:59")));
        // Just before the first minute of the chart, and in a minute after the current one (a clock ahead of ours).
        UUID other = UUID.randomUUID();
        deliver(submitted(other, 1, TestEvents.newSlipNumber(), at("09:00:59.999")));
        deliver(verdict(other, 1, Agency.CUSTOMS, Outcome.APPROVED, at("10:01:00")));

        Snapshot.Activity hour = view.snapshot().activity();

        assertThat(hour.from()).isEqualTo(at("09:01:00"));
        assertThat(hour.to()).isEqualTo(NOW);
        assertThat(hour.minutes()).hasSize(60);
        assertThat(hour.minutes()).extracting(Snapshot.Minute::start)
                .isEqualTo(IntStream.range(0, 60).mapToObj(i -> at("09:01:00").plus(Duration.ofMinutes(i))).toList());
        Map<Instant, Snapshot.Minute> busy = new LinkedHashMap<>();
        hour.minutes().stream().filter(minute -> !minute.equals(nothingIn(minute.start()))).forEach(minute -> busy.put(minute.start(), minute));
        assertThat(busy).containsExactly(
                Map.entry(at("09:10:00"), new Snapshot.Minute(at("09:10:00"), 1, 0, verdicts(), 0)),
                Map.entry(at("09:20:00"), new Snapshot.Minute(at("09:20:00"), 0, 1, verdicts(), 0)),
                Map.entry(at("09:30:00"), new Snapshot.Minute(at("09:30:00"), 0, 0, verdicts(Agency.TAX, 2), 0)),
                Map.entry(at("09:40:00"), new Snapshot.Minute(at("09:40:00"), 0, 0, verdicts(Agency.QUALITY, 1), 0)),
                Map.entry(NOW, new Snapshot.Minute(NOW, 0, 0, verdicts(), 1)));
        assertThat(hour).extracting(Snapshot.Activity::submitted, Snapshot.Activity::amended, Snapshot.Activity::cardSets)
                .containsExactly(1L, 1L, 1L);
        assertThat(hour.verdicts()).extracting(Snapshot.AgencyVerdicts::agency, Snapshot.AgencyVerdicts::zhName, Snapshot.AgencyVerdicts::total)
                .containsExactly(tuple(Agency.QUALITY, "质量技术监督局", 1L), tuple(Agency.COMMERCE, "工商行政管理局", 0L),
                        tuple(Agency.TAX, "国家税务局", 2L), tuple(Agency.TRADE, "外经贸委", 0L), tuple(Agency.FOREX, "国家外汇管理局", 0L),
                        tuple(Agency.CUSTOMS, "海关", 0L));
    }

    @Test
    void theChartsMinutesOlderThanADayAreForgotten() {
        jdbc.sql("""
                INSERT INTO activity_minutes (minute, series, n) VALUES
                    ('2026-03-01T09:59:00Z', 'SUBMITTED', 1), ('2026-03-01T10:00:00Z', 'SUBMITTED', 2), ('2026-03-02T09:59:00Z', 'TAX', 3)""")
                .update();

        assertThat(activity.forgetOldMinutes()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT n FROM activity_minutes ORDER BY minute").query(Long.class).list()).containsExactly(2L, 3L);
    }

    @Test
    void theTimelineIsFoundByIdOrSlipNumberAndShowsNoWholePersonalIdNumber() {
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        deliver(submitted(application, 1, slip, NOW.minusSeconds(600)));
        deliver(verdict(application, 1, Agency.CUSTOMS, Outcome.REFERRED, NOW.minusSeconds(500),
                new Reason("CUSTOMS_BROKER_MISMATCH", "报关员 " + TestEvents.WHOLE_ID_NUMBER + " 与登记不符",
                        "customs broker " + TestEvents.WHOLE_ID_NUMBER + " does not match the register")));
        deliver(reviewed(application, 1, Agency.CUSTOMS, Outcome.APPROVED, NOW.minusSeconds(400), "reviewer-customs-7"));

        Timeline bySlip = view.timeline(slip.toLowerCase()).orElseThrow();
        Timeline byId = view.timeline(" " + application + " ").orElseThrow();

        assertThat(bySlip).isEqualTo(byId);
        assertThat(bySlip.slipNumber()).isEqualTo(slip);
        assertThat(bySlip.enterprise()).isEqualTo("榕城进出口贸易有限公司");
        assertThat(bySlip.events()).extracting(Timeline.Entry::kind, Timeline.Entry::agencyName, Timeline.Entry::outcome,
                Timeline.Entry::actor).containsExactly(
                        tuple("SUBMITTED", null, null, "enterprise-dashboard"),
                        tuple("VERDICT", "海关", "REFERRED", "RULES:customs-rules/1"),
                        tuple("VERDICT", "海关", "APPROVED", "REVIEWER:reviewer-customs-7"));
        Reason shown = bySlip.events().get(1).reasons().get(0);
        assertThat(shown.zh()).isEqualTo("报关员 " + TestEvents.MASKED_ID_NUMBER + " 与登记不符");
        assertThat(json.writeValueAsString(bySlip)).doesNotContainPattern("[0-9]{17}[0-9Xx]");
        assertThat(view.timeline(TestEvents.newSlipNumber())).isEmpty();
        assertThat(view.timeline(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void aVerdictWhoseSignatureDoesNotVerifyIsNeverCountedButDeadLettered() {
        UUID application = UUID.randomUUID();
        deliver(submitted(application, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(60)));
        VerdictIssued forged = verdict(application, 1, Agency.TAX, Outcome.REJECTED, NOW.minusSeconds(30), reason("TAX_ARREARS"))
                .withSignature(verdict(application, 1, Agency.TAX, Outcome.APPROVED, NOW.minusSeconds(30)).signature());
        deliver(forged);

        assertThat(row(view.snapshot(), Agency.TAX).rejected()).isZero();
        assertThat(jdbc.sql("SELECT topic FROM outbox").query(String.class).list()).containsExactly("eport.dlt.dashboard");
    }

    @Test
    void deadLettersAreCountedOncePerRecordByGroupAndReason() {
        List<IncomingRecord> batch = List.of(
                deadLetter("eport.dlt.tax-check", 0, "tax-check", "record key abc is not the application id " + UUID.randomUUID()),
                deadLetter("eport.dlt.tax-check", 1, "tax-check", "record key abc is not the application id " + UUID.randomUUID()),
                deadLetter("eport.dlt.tax-check", 2, "tax-check", "signature does not verify with the public key of agency TAX"),
                deadLetter("eport.dlt.intake", 0, null, "holder " + TestEvents.WHOLE_ID_NUMBER + " unreadable"));
        deadLetters.count(batch);
        deadLetters.count(batch);

        Snapshot.DeadLetters counted = view.snapshot().deadLetters();

        assertThat(counted.total()).isEqualTo(4);
        assertThat(counted.groups()).extracting(Snapshot.DeadLetterGroup::group, Snapshot.DeadLetterGroup::count)
                .containsExactly(tuple("intake", 1L), tuple("tax-check", 3L));
        assertThat(counted.groups().get(1).reasons()).containsExactly(
                new Snapshot.ReasonCount("record key abc is not the application id <id>", 2),
                new Snapshot.ReasonCount("signature does not verify with the public key of agency TAX", 1));
        assertThat(counted.groups().get(0).reasons().get(0).reason()).isEqualTo("holder " + TestEvents.MASKED_ID_NUMBER + " unreadable");
    }

    @Test
    void thePagesPublicPathsAddToThePlatformsDefaultsRatherThanReplaceThem() throws Exception {
        String[] defaults = WebSettings.class.getDeclaredConstructors()[0].getParameters()[0]
                .getAnnotation(DefaultValue.class).value();

        assertThat(webSettings.publicPaths()).contains(defaults).contains("/", "/index.html", "/dashboard.js", "/dashboard.css")
                .noneMatch(path -> path.startsWith("/api"));
    }

    private void deliver(ApplicationEvent event) {
        consumer.consume(List.of(events.record(event, UUID.randomUUID().toString(), NOW)), projection::apply);
    }

    private static IncomingRecord deadLetter(String topic, long offset, String group, String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.DLT_REASON, reason);
        if (group != null) {
            headers.put(CloudEventHeaders.DLT_CONSUMER_GROUP, group);
        }
        return new IncomingRecord(topic, 0, offset, "some-key", headers, "not an event".getBytes(StandardCharsets.UTF_8));
    }

    private static Reason reason(String code) {
        return new Reason(code, "需人工审查", "needs a person's review");
    }

    /** That time of {@link #NOW}'s day (UTC). */
    private static Instant at(String time) {
        return Instant.parse("2026-03-02T" + time + "Z");
    }

    private static Snapshot.Minute nothingIn(Instant start) {
        return new Snapshot.Minute(start, 0, 0, verdicts(), 0);
    }

    /** Every agency, with no verdicts. */
    private static Map<Agency, Long> verdicts() {
        Map<Agency, Long> verdicts = new EnumMap<>(Agency.class);
        for (Agency agency : Agency.values()) {
            verdicts.put(agency, 0L);
        }
        return verdicts;
    }

    /** Every agency, with no verdicts but {@code agency}'s {@code count}. */
    private static Map<Agency, Long> verdicts(Agency agency, long count) {
        Map<Agency, Long> verdicts = verdicts();
        verdicts.put(agency, count);
        return verdicts;
    }

    private static Snapshot.AgencyRow row(Snapshot snapshot, Agency agency) {
        return snapshot.agencies().stream().filter(row -> row.agency() == agency).findFirst().orElseThrow();
    }

    private static long decided(Snapshot snapshot, Agency agency) {
        return snapshot.funnel().decided().stream().filter(stage -> stage.agency() == agency).findFirst().orElseThrow().count();
    }
}
