package cn.eport.dashboard;

import static cn.eport.dashboard.TestEvents.amended;
import static cn.eport.dashboard.TestEvents.cards;
import static cn.eport.dashboard.TestEvents.escalated;
import static cn.eport.dashboard.TestEvents.reviewed;
import static cn.eport.dashboard.TestEvents.submitted;
import static cn.eport.dashboard.TestEvents.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.CheckEscalated;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.DecisionLogSealed;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard as deployed, on the real broker and database: events published on the topics by
 * their producers reach the snapshot and the timeline; dead letters of any group are counted; lag
 * is read for every group; only OPS reads any of it.
 */
@SpringBootTest(classes = DashboardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=dashboard", "eport.dashboard.sla-refresh=500ms"})
@ContextConfiguration(initializers = RealInfrastructure.class)
class DashboardApplicationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String OPS = DevTokens.ops("ops-dashboard-test");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KafkaProbe probe;

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    @BeforeAll
    static void connectToTheBroker() {
        probe = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.CARDS));
    }

    @AfterAll
    static void disconnect() {
        if (probe != null) {
            probe.close();
        }
    }

    @Test
    void anApplicationsEventsOnTheTopicsShowInTheFunnelTheAgencyTableAndItsTimeline() throws Exception {
        TestEvents events = new TestEvents(json);
        JsonNode before = snapshot();
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        Instant now = Instant.now();
        ApplicationSubmitted submission = submitted(application, 1, slip, now.minusSeconds(60));
        String submissionId = UUID.randomUUID().toString();
        events.publish(probe, submission, submissionId);
        // The relay's retry after a lost acknowledgement: the same event again, under the same id.
        events.publish(probe, submission, submissionId);
        events.publish(probe, verdict(application, 1, Agency.TAX, Outcome.REFERRED, now.minusSeconds(50),
                new Reason("TAX_MANUAL_REVIEW", "需人工审查", "needs a person's review")));
        for (Agency agency : Agency.values()) {
            if (agency != Agency.TAX) {
                events.publish(probe, verdict(application, 1, agency, Outcome.APPROVED, now.minusSeconds(40)));
            }
        }
        events.publish(probe, reviewed(application, 1, Agency.TAX, Outcome.APPROVED, now.minusSeconds(30), "reviewer-tax-1"));
        events.publish(probe, cards(application, 1, slip, now.minusSeconds(20)));

        JsonNode after = awaitSnapshot(s -> count(s, "cardsIssued") == count(before, "cardsIssued") + 1
                && count(s, "approvedByAll") == count(before, "approvedByAll") + 1);

        assertThat(count(after, "submitted")).isEqualTo(count(before, "submitted") + 1);
        assertThat(agency(after, "TAX").get("approved").asLong()).isEqualTo(agency(before, "TAX").get("approved").asLong() + 1);
        assertThat(agency(after, "TAX").get("referred").asLong()).isEqualTo(agency(before, "TAX").get("referred").asLong() + 1);
        assertThat(agency(after, "TAX").get("reviewQueue").asLong()).isEqualTo(agency(before, "TAX").get("reviewQueue").asLong());
        assertThat(agency(after, "TAX").get("throughputPerMinute").asDouble()).isPositive();

        JsonNode timeline = json.readTree(get("/api/dashboard/timeline?q=" + slip, OPS).body());
        assertThat(timeline.get("applicationId").asString()).isEqualTo(application.toString());
        List<String> kinds = new ArrayList<>();
        timeline.get("events").forEach(event -> kinds.add(event.get("kind").asString()));
        assertThat(kinds).containsExactly("SUBMITTED", "VERDICT", "VERDICT", "VERDICT", "VERDICT", "VERDICT", "VERDICT", "VERDICT",
                "CARDS_ISSUED");
        assertThat(json.readTree(get("/api/dashboard/timeline?q=" + application, OPS).body())).isEqualTo(timeline);
        HttpResponse<String> unknown = get("/api/dashboard/timeline?q=" + TestEvents.newSlipNumber(), OPS);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anAgencysEscalationsShowOnItsClockUntilItDecidesAndBreachesComeFirst() throws Exception {
        TestEvents events = new TestEvents(json);
        UUID warned = UUID.randomUUID();
        UUID breached = UUID.randomUUID();
        Instant now = Instant.now();
        Instant accepted = now.minus(Duration.ofDays(5));
        events.publish(probe, submitted(warned, 1, TestEvents.newSlipNumber(), accepted));
        events.publish(probe, submitted(breached, 1, TestEvents.newSlipNumber(), accepted.minusSeconds(60)));
        events.publish(probe, verdict(warned, 1, Agency.TRADE, Outcome.REFERRED, accepted.plusSeconds(1)));
        events.publish(probe, verdict(breached, 1, Agency.TRADE, Outcome.REFERRED, accepted.plusSeconds(1)));
        // The warning of the one due later, then both escalations of the one due first: the breach comes first all the same.
        events.publish(probe, escalated(warned, 1, Agency.TRADE, CheckEscalated.Level.WARNING, accepted, now.plusSeconds(3600), now));
        events.publish(probe, escalated(breached, 1, Agency.TRADE, CheckEscalated.Level.WARNING, accepted, now.minusSeconds(60),
                now.minusSeconds(600)));
        events.publish(probe, escalated(breached, 1, Agency.TRADE, CheckEscalated.Level.BREACH, accepted, now.minusSeconds(60), now));

        JsonNode snapshot = awaitSnapshot(s -> openEscalations(s, Agency.TRADE).size() == 2
                && openEscalations(s, Agency.TRADE).get(0).get("level").asString().equals("BREACH"));
        List<JsonNode> open = openEscalations(snapshot, Agency.TRADE);
        assertThat(open.get(0).get("applicationId").asString()).isEqualTo(breached.toString());
        assertThat(open.get(1).get("applicationId").asString()).isEqualTo(warned.toString());
        assertThat(open.get(1).get("level").asString()).isEqualTo("WARNING");
        JsonNode clock = clock(snapshot, Agency.TRADE);
        assertThat(clock.get("openBreaches").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(clock.get("openWarnings").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(clock.get("timeLimitWorkingDays").asInt()).isEqualTo(3);
        assertThat(clock.get("oldestPendingWorkingHours").asDouble()).isPositive();

        // The reviewer's final verdict closes it; the other stays.
        events.publish(probe, reviewed(breached, 1, Agency.TRADE, Outcome.APPROVED, now, "reviewer-trade-1"));
        JsonNode after = awaitSnapshot(s -> openEscalations(s, Agency.TRADE).stream()
                .noneMatch(e -> e.get("applicationId").asString().equals(breached.toString())));
        assertThat(openEscalations(after, Agency.TRADE)).anyMatch(e -> e.get("applicationId").asString().equals(warned.toString()));
        assertThat(awaitTimeline(warned.toString(), t -> t.contains("DEADLINE_WARNING"))).contains("\"agency\":\"TRADE\"");
    }

    @Test
    void theLastHoursMinutesGrowByWhatWasPublishedInThemCountingARedeliveredEventOnce() throws Exception {
        TestEvents events = new TestEvents(json);
        Instant now = Instant.now();
        // Minutes no other test publishes into: theirs are of the last minute or of days ago.
        Instant submittedAt = now.minus(Duration.ofMinutes(40));
        Instant amendedAt = now.minus(Duration.ofMinutes(35));
        Instant referredAt = now.minus(Duration.ofMinutes(30));
        Instant decidedAt = now.minus(Duration.ofMinutes(25));
        Instant issuedAt = now.minus(Duration.ofMinutes(20));
        JsonNode before = snapshot();
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();

        // Each redelivered under its id, as the relay does after a lost acknowledgement.
        ApplicationSubmitted submission = submitted(application, 1, slip, submittedAt);
        String submissionId = UUID.randomUUID().toString();
        events.publish(probe, submission, submissionId);
        events.publish(probe, submission, submissionId);
        events.publish(probe, amended(application, 2, slip, amendedAt));
        VerdictIssued referral = verdict(application, 2, Agency.TAX, Outcome.REFERRED, referredAt,
                new Reason("TAX_MANUAL_REVIEW", "需人工审查", "needs a person's review"));
        String referralId = UUID.randomUUID().toString();
        events.publish(probe, referral, referralId);
        events.publish(probe, referral, referralId);
        // The same verdict published again under a new id is one verdict too.
        events.publish(probe, referral);
        events.publish(probe, reviewed(application, 2, Agency.TAX, Outcome.APPROVED, decidedAt, "reviewer-tax-2"));
        events.publish(probe, verdict(application, 2, Agency.QUALITY, Outcome.APPROVED, referredAt));
        CardsIssued issued = cards(application, 2, slip, issuedAt);
        String issuedId = UUID.randomUUID().toString();
        events.publish(probe, issued, issuedId);
        events.publish(probe, issued, issuedId);
        // Each topic's last line here follows its redelivered one on the application's partition: once the
        // timeline shows them all, every redelivery has been consumed (and dropped).
        events.publish(probe, issued);
        awaitTimeline(slip, t -> occurrences(t, "\"kind\":\"VERDICT\"") == 4 && occurrences(t, "\"kind\":\"CARDS_ISSUED\"") == 2
                && occurrences(t, "\"kind\":\"AMENDED\"") == 1);

        JsonNode after = snapshot();

        Map<String, Map<String, Long>> grown = new TreeMap<>();
        Instant settled = now.minus(Duration.ofMinutes(5));
        Map<Instant, JsonNode> earlier = minutes(before);
        minutes(after).forEach((start, minute) -> {
            JsonNode was = earlier.get(start);
            if (was != null && start.isBefore(settled)) {
                counts(minute).forEach((series, n) -> {
                    long difference = n - counts(was).get(series);
                    if (difference != 0) {
                        grown.computeIfAbsent(start.toString(), s -> new TreeMap<>()).put(series, difference);
                    }
                });
            }
        });
        assertThat(grown).isEqualTo(Map.of(
                minuteOf(submittedAt), Map.of("submitted", 1L),
                minuteOf(amendedAt), Map.of("amended", 1L),
                minuteOf(referredAt), Map.of("TAX", 1L, "QUALITY", 1L),
                minuteOf(decidedAt), Map.of("TAX", 1L),
                minuteOf(issuedAt), Map.of("cardSets", 1L)));

        JsonNode activity = after.get("activity");
        List<Instant> starts = new ArrayList<>(minutes(after).keySet());
        assertThat(starts).hasSize(60);
        assertThat(starts.get(0)).isEqualTo(Instant.parse(activity.get("from").asString()));
        assertThat(Duration.between(starts.get(0), starts.get(59))).isEqualTo(Duration.ofMinutes(59));
        Instant to = Instant.parse(activity.get("to").asString());
        assertThat(to).isEqualTo(Instant.parse(after.get("at").asString()));
        assertThat(to).isBetween(starts.get(59), starts.get(59).plus(Duration.ofMinutes(1)));
        // The hour's totals are the minutes' sums, each agency's under its Chinese name.
        assertThat(activity.get("submitted").asLong()).isEqualTo(sum(after, "submitted"));
        assertThat(activity.get("cardSets").asLong()).isEqualTo(sum(after, "cardSets"));
        JsonNode tax = activity.get("verdicts").get(Agency.TAX.ordinal());
        assertThat(tax.get("agency").asString()).isEqualTo("TAX");
        assertThat(tax.get("zhName").asString()).isEqualTo("国家税务局");
        assertThat(tax.get("total").asLong()).isEqualTo(sum(after, "TAX"));
    }

    /** The minutes of the snapshot's last hour by their start, oldest first. */
    private static Map<Instant, JsonNode> minutes(JsonNode snapshot) {
        Map<Instant, JsonNode> minutes = new LinkedHashMap<>();
        snapshot.get("activity").get("minutes").forEach(minute -> minutes.put(Instant.parse(minute.get("start").asString()), minute));
        return minutes;
    }

    /** A minute's counts by series: submitted, amended, cardSets and each agency's verdicts by its name. */
    private static Map<String, Long> counts(JsonNode minute) {
        Map<String, Long> counts = new TreeMap<>();
        for (String series : List.of("submitted", "amended", "cardSets")) {
            counts.put(series, minute.get(series).asLong());
        }
        for (Agency agency : Agency.values()) {
            counts.put(agency.name(), minute.get("verdicts").get(agency.name()).asLong());
        }
        return counts;
    }

    private static long sum(JsonNode snapshot, String series) {
        return minutes(snapshot).values().stream().mapToLong(minute -> counts(minute).get(series)).sum();
    }

    private static String minuteOf(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES).toString();
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void thisMonthsFiguresOnTheClockCountEachFinalVerdictAndEachBreach() throws Exception {
        TestEvents events = new TestEvents(json);
        JsonNode before = awaitSnapshot(s -> month(s, Agency.FOREX) != null);
        UUID application = UUID.randomUUID();
        Instant now = Instant.now();
        events.publish(probe, submitted(application, 1, TestEvents.newSlipNumber(), now.minusSeconds(120)));
        events.publish(probe, verdict(application, 1, Agency.FOREX, Outcome.REJECTED, now.plusSeconds(1),
                new Reason("FOREX_TEST", "测试", "a test")));
        events.publish(probe, escalated(application, 1, Agency.FOREX, CheckEscalated.Level.BREACH, now.minus(Duration.ofDays(6)),
                now.minusSeconds(10), now));

        JsonNode after = awaitSnapshot(s -> month(s, Agency.FOREX).get("decided").asLong() >= month(before, Agency.FOREX).get("decided").asLong() + 1
                && month(s, Agency.FOREX).get("breaches").asLong() >= month(before, Agency.FOREX).get("breaches").asLong() + 1);
        JsonNode forex = month(after, Agency.FOREX);
        assertThat(forex.get("timeLimitWorkingDays").asInt()).isEqualTo(3);
        assertThat(forex.get("onTimeShare").isNumber()).isTrue();
        assertThat(forex.get("medianWorkingHours").isNumber()).isTrue();
        assertThat(forex.get("month").asString()).isEqualTo(java.time.YearMonth.from(now.atZone(java.time.ZoneId.of("Asia/Shanghai"))).toString());
    }

    private static JsonNode month(JsonNode snapshot, Agency agency) {
        for (JsonNode row : snapshot.get("clocks").get("month")) {
            if (row.get("agency").asString().equals(agency.name())) {
                return row;
            }
        }
        return null;
    }

    private static List<JsonNode> openEscalations(JsonNode snapshot, Agency agency) {
        List<JsonNode> open = new ArrayList<>();
        snapshot.get("clocks").get("open").forEach(e -> {
            if (e.get("agency").asString().equals(agency.name())) {
                open.add(e);
            }
        });
        return open;
    }

    private static JsonNode clock(JsonNode snapshot, Agency agency) {
        for (JsonNode row : snapshot.get("clocks").get("agencies")) {
            if (row.get("agency").asString().equals(agency.name())) {
                return row;
            }
        }
        throw new AssertionError("no clock for " + agency);
    }

    @Test
    void deadLettersOfEveryGroupAreCountedAndSoAreTheDashboardsOwn() throws Exception {
        JsonNode before = snapshot();
        // A record another service dead-lettered, as its outbox would have published it.
        probe.send(Topics.deadLetters("tax-check"), UUID.randomUUID().toString(), Map.of(
                CloudEventHeaders.DLT_REASON, "signature does not verify with the public key of agency TAX",
                CloudEventHeaders.DLT_CONSUMER_GROUP, "tax-check",
                CloudEventHeaders.DLT_ORIGINAL_TOPIC, Topics.verdicts(Agency.TAX)), "{}".getBytes(StandardCharsets.UTF_8));
        // A record the dashboard itself cannot read: it dead-letters it, then counts it.
        probe.send(Topics.verdicts(Agency.TAX), UUID.randomUUID().toString(), Map.of(), "not an event".getBytes(StandardCharsets.UTF_8));

        JsonNode after = awaitSnapshot(s -> deadLetters(s, "tax-check") == deadLetters(before, "tax-check") + 1
                && deadLetters(s, "dashboard") == deadLetters(before, "dashboard") + 1);

        assertThat(after.get("deadLetters").get("total").asLong()).isEqualTo(before.get("deadLetters").get("total").asLong() + 2);
        assertThat(reasons(after, "tax-check")).contains("signature does not verify with the public key of agency TAX");
        assertThat(reasons(after, "dashboard")).contains("missing CloudEvents header ce_id");
    }

    @Test
    void eachServicesLastSealShowsAndOneOlderThanTheBoundIsAnAlert() throws Exception {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        probe.send(Topics.seals("tax-check"), "tax-check", Map.of("ce_type", DecisionLogSealed.TYPE), json.writeValueAsBytes(
                new DecisionLogSealed("tax-check", 0, 41, "aGVhZA==", now, "key-tax", "c2ln", "dG9rZW4=")));
        probe.send(Topics.seals("telecom"), "telecom", Map.of("ce_type", DecisionLogSealed.TYPE), json.writeValueAsBytes(
                new DecisionLogSealed("telecom", 3, 7, "aGVhZA==", now.minus(Duration.ofMinutes(10)), "key-telecom", "c2ln", null)));
        // On tax-check's topic but claiming to be intake's: not counted as anyone's seal.
        probe.send(Topics.seals("tax-check"), "tax-check", Map.of(), json.writeValueAsBytes(
                new DecisionLogSealed("intake", 0, 99, "aGVhZA==", now, "key-intake", "c2ln", null)));

        JsonNode logs = awaitSnapshot(s -> seal(s, "tax-check").get("seq").asLong() == 41 && seal(s, "telecom").get("seq").asLong() == 7)
                .get("decisionLogs");

        assertThat(logs.get("alert").asBoolean()).isTrue();
        JsonNode tax = seal(logs, "tax-check");
        assertThat(tax.get("alert").asBoolean()).isFalse();
        assertThat(tax.get("timestamped").asBoolean()).isTrue();
        assertThat(seal(logs, "telecom").get("alert").asBoolean()).as("ten minutes without a seal").isTrue();
        assertThat(seal(logs, "intake").get("sealedAt").isNull()).as("no seal of intake seen").isTrue();
        assertThat(seal(logs, "intake").get("alert").asBoolean()).isTrue();
    }

    private static JsonNode seal(JsonNode snapshotOrLogs, String service) {
        JsonNode logs = snapshotOrLogs.has("decisionLogs") ? snapshotOrLogs.get("decisionLogs") : snapshotOrLogs;
        for (JsonNode row : logs.get("services")) {
            if (row.get("service").asString().equals(service)) {
                return row;
            }
        }
        throw new AssertionError("no row of " + service + " in " + logs);
    }

    @Test
    void consumerLagIsReadForEveryGroupAndAGroupThatDoesNotExistYetIsShownAsSuch() throws Exception {
        JsonNode snapshot = awaitSnapshot(s -> lag(s, "dashboard") != null && lag(s, "dashboard").get("lag").isNumber());

        List<String> groups = new ArrayList<>();
        snapshot.get("consumerLag").get("groups").forEach(group -> groups.add(group.get("group").asString()));
        assertThat(groups).containsExactly("intake", "quality-check", "commerce-check", "tax-check", "trade-check", "forex-check",
                "customs-check", "card-issuance", "telecom", "dashboard", "dashboard-dead-letters", "dashboard-seals");
        assertThat(lag(snapshot, "dashboard").get("partitions").asInt()).isPositive();
        assertThat(snapshot.get("consumerLag").get("readAt").isNull()).isFalse();
        // No intake runs on this broker: its group has never existed.
        JsonNode intake = lag(snapshot, "intake");
        assertThat(intake.get("lag").isNull()).isTrue();
        assertThat(intake.get("problem").asString()).isNotBlank();
    }

    @Test
    void onlyOpsReadsTheDataAndOnlyTheStreamTakesTheTokenFromTheQuery() throws Exception {
        assertThat(get("/api/dashboard", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/dashboard", DevTokens.applicant("enterprise-0001")).statusCode()).isEqualTo(403);
        assertThat(get("/api/dashboard/timeline?q=YY2026000000013", DevTokens.clerk("clerk-0001")).statusCode()).isEqualTo(403);
        assertThat(get("/api/dashboard", OPS).statusCode()).isEqualTo(200);
        assertThat(get("/api/dashboard?access_token=" + OPS, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/dashboard/timeline?q=YY2026000000013&access_token=" + OPS, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/dashboard/stream", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/dashboard/stream?access_token=" + DevTokens.applicant("enterprise-0001"), null).statusCode())
                .isEqualTo(403);
        assertThat(get("/api/dashboard/timeline?q=" + "x".repeat(65), OPS).statusCode()).isEqualTo(400);

        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>E-Port joint review");
        assertThat(get("/dashboard.js", null).statusCode()).isEqualTo(200);
        assertThat(get("/dashboard.css", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theLiveStreamPushesASnapshotOnConnectingAndThenEverySecond() {
        List<String> data = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            HttpRequest request = HttpRequest.newBuilder(uri("/api/dashboard/stream?access_token="
                    + URLEncoder.encode(OPS, StandardCharsets.UTF_8))).header("Accept", "text/event-stream").build();
            HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            try (Stream<String> lines = response.body()) {
                return lines.filter(line -> line.startsWith("data:")).limit(2).toList();
            }
        });

        JsonNode first = json.readTree(data.get(0).substring("data:".length()));
        JsonNode second = json.readTree(data.get(1).substring("data:".length()));
        assertThat(first.get("funnel").has("submitted")).isTrue();
        assertThat(Instant.parse(second.get("at").asString())).isAfter(Instant.parse(first.get("at").asString()));
    }

    @Test
    void noWholePersonalIdNumberLeavesTheDashboard() throws Exception {
        TestEvents events = new TestEvents(json);
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        events.publish(probe, submitted(application, 1, slip, Instant.now()));
        // A reviewer quoting an ID number in full, and a dead letter whose reason does the same.
        events.publish(probe, verdict(application, 1, Agency.CUSTOMS, Outcome.REJECTED, Instant.now(),
                new Reason("CUSTOMS_BROKER_MISMATCH", "报关员 " + TestEvents.WHOLE_ID_NUMBER + " 与登记不符",
                        "customs broker " + TestEvents.WHOLE_ID_NUMBER + " does not match the register")));
        probe.send(Topics.deadLetters("intake"), application.toString(), Map.of(CloudEventHeaders.DLT_REASON,
                "holder " + TestEvents.WHOLE_ID_NUMBER + " cannot be read", CloudEventHeaders.DLT_CONSUMER_GROUP, "intake"),
                "{}".getBytes(StandardCharsets.UTF_8));

        awaitSnapshot(s -> reasons(s, "intake").stream().anyMatch(r -> r.contains(TestEvents.MASKED_ID_NUMBER)));
        String timeline = awaitTimeline(slip, t -> t.contains("CUSTOMS_BROKER_MISMATCH"));

        assertThat(timeline).contains(TestEvents.MASKED_ID_NUMBER).doesNotContainPattern("[0-9]{17}[0-9Xx]");
        assertThat(get("/api/dashboard", OPS).body()).doesNotContainPattern("[0-9]{17}[0-9Xx]");
        HttpResponse<String> searchedForAPerson = get("/api/dashboard/timeline?q=" + TestEvents.WHOLE_ID_NUMBER, OPS);
        assertThat(searchedForAPerson.statusCode()).isEqualTo(404);
        assertThat(searchedForAPerson.body()).contains(TestEvents.MASKED_ID_NUMBER).doesNotContainPattern("[0-9]{17}[0-9Xx]");
    }

    private JsonNode snapshot() throws Exception {
        HttpResponse<String> response = get("/api/dashboard", OPS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode awaitSnapshot(Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode snapshot = snapshot();
        while (!done.test(snapshot)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The snapshot did not get there within " + PATIENCE + "; last: " + snapshot);
            }
            Thread.sleep(200);
            snapshot = snapshot();
        }
        return snapshot;
    }

    private String awaitTimeline(String query, Predicate<String> done) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        HttpResponse<String> response = get("/api/dashboard/timeline?q=" + query, OPS);
        while (response.statusCode() != 200 || !done.test(response.body())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The timeline did not get there within " + PATIENCE + "; last: " + response.body());
            }
            Thread.sleep(200);
            response = get("/api/dashboard/timeline?q=" + query, OPS);
        }
        return response.body();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static long count(JsonNode snapshot, String stage) {
        return snapshot.get("funnel").get(stage).asLong();
    }

    private static JsonNode agency(JsonNode snapshot, String agency) {
        for (JsonNode row : snapshot.get("agencies")) {
            if (row.get("agency").asString().equals(agency)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + agency);
    }

    private static long deadLetters(JsonNode snapshot, String group) {
        for (JsonNode row : snapshot.get("deadLetters").get("groups")) {
            if (row.get("group").asString().equals(group)) {
                return row.get("count").asLong();
            }
        }
        return 0;
    }

    private static List<String> reasons(JsonNode snapshot, String group) {
        List<String> reasons = new ArrayList<>();
        for (JsonNode row : snapshot.get("deadLetters").get("groups")) {
            if (row.get("group").asString().equals(group)) {
                row.get("reasons").forEach(reason -> reasons.add(reason.get("reason").asString()));
            }
        }
        return reasons;
    }

    private static JsonNode lag(JsonNode snapshot, String group) {
        for (JsonNode row : snapshot.get("consumerLag").get("groups")) {
            if (row.get("group").asString().equals(group)) {
                return row;
            }
        }
        return null;
    }
}
