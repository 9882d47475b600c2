package cn.eport.dashboard;

import static cn.eport.dashboard.TestEvents.cards;
import static cn.eport.dashboard.TestEvents.received;
import static cn.eport.dashboard.TestEvents.reviewed;
import static cn.eport.dashboard.TestEvents.submitted;
import static cn.eport.dashboard.TestEvents.telecomRegistered;
import static cn.eport.dashboard.TestEvents.verdict;
import static cn.eport.dashboard.TestEvents.withdrawn;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.IncomingRecord;
import cn.eport.messaging.ReceivedEvent;
import cn.eport.testsupport.RealInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot's counts are kept as the events arrive, so taking one costs the same whatever the
 * history: they equal the aggregates over the whole read model that the snapshot used to run
 * ({@link WholeReadModelAggregates}, the oracle) after any history, with two instances changing one
 * application at once, and after the migration that introduced them; and a snapshot reads as many
 * rows with 20,000 applications behind it as with 10,000. The same context and schema as
 * {@link DashboardReadModelTest} (the context is reused), emptied before each test.
 */
@SpringBootTest(classes = DashboardApplication.class, properties = {
        "spring.config.name=dashboard",
        "eport.database.schema=dashboard_read_model_test",
        "spring.cloud.stream.bindings.recordEvents-in-0.consumer.auto-startup=false",
        "spring.cloud.stream.bindings.countDeadLetters-in-0.consumer.auto-startup=false"})
@ContextConfiguration(initializers = RealInfrastructure.class)
@Import(DashboardReadModelTest.AtAFixedMoment.class)
class DashboardCountsTest {

    static final Instant NOW = DashboardReadModelTest.NOW;
    /** Where the seeded history starts: a month ago, one application a minute, so none is in the throughput window. */
    static final Instant HISTORY = NOW.minus(Duration.ofDays(30));
    static final int SEED_BATCH = 2_000;

    @Autowired
    EventConsumer consumer;
    @Autowired
    Projection projection;
    @Autowired
    DeadLetterCounter deadLetters;
    @Autowired
    DashboardView view;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    JsonMapper json;
    @Autowired
    DashboardSettings settings;

    TestEvents events;
    WholeReadModelAggregates oracle;

    @BeforeEach
    void startEmpty() {
        events = new TestEvents(json);
        oracle = new WholeReadModelAggregates(jdbc, settings.throughputWindow());
        jdbc.sql("""
                DO $$ BEGIN
                    EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') FROM pg_tables
                             WHERE schemaname = current_schema() AND tablename <> 'flyway_schema_history');
                END $$""").update();
    }

    @Test
    void theCountsEqualTheAggregatesOverTheWholeReadModelThroughAMixedHistory() {
        Random random = new Random(20260302);
        List<IncomingRecord> records = interleaved(random, IntStream.range(0, 160).mapToObj(i -> historyOfOne(random)).toList());
        int delivered = 0;
        long deadLetterOffset = 0;
        while (delivered < records.size()) {
            int size = Math.min(records.size() - delivered, 1 + random.nextInt(30));
            consumer.consume(records.subList(delivered, delivered + size), projection::apply);
            delivered += size;
            // Dead letters too, some read again (one topic, partition and offset).
            List<IncomingRecord> letters = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                long offset = random.nextInt(4) == 0 && deadLetterOffset > 0 ? random.nextLong(deadLetterOffset) : deadLetterOffset++;
                letters.add(deadLetter(offset, offset % 2 == 0 ? "tax-check" : "intake", "reason " + offset % 7 + " for " + UUID.randomUUID()));
            }
            deadLetters.count(letters);

            Snapshot snapshot = view.snapshot();
            assertThat(snapshot.funnel()).as("the funnel after %d records", delivered).isEqualTo(oracle.funnel());
            assertThat(snapshot.agencies()).as("the agencies after %d records", delivered).isEqualTo(oracle.agencies(NOW));
            assertThat(snapshot.deadLetters()).as("the dead letters after %d records", delivered).isEqualTo(oracle.deadLetters());
            assertThat(snapshot.activity()).as("the last hour after %d records", delivered).isEqualTo(oracle.activity(NOW));
        }

        // The history went through every case the counts have rules for.
        Snapshot.Funnel funnel = oracle.funnel();
        List<Snapshot.AgencyRow> agencies = oracle.agencies(NOW);
        assertThat(funnel.withdrawn()).isPositive();
        assertThat(funnel.approvedByAll()).isPositive();
        assertThat(funnel.decided()).anySatisfy(stage -> assertThat(stage.count())
                .isLessThan(row(agencies, stage.agency()).approved() + row(agencies, stage.agency()).rejected()));
        assertThat(agencies).anySatisfy(row -> assertThat(row.reviewQueue()).isPositive())
                .anySatisfy(row -> assertThat(row.referred()).isGreaterThan(row.reviewQueue()))
                .anySatisfy(row -> assertThat(row.pending()).isPositive())
                .anySatisfy(row -> assertThat(row.throughputPerMinute()).isPositive());
        assertThat(jdbc.sql("SELECT count(*) FROM agency_verdicts v WHERE NOT EXISTS (SELECT 1 FROM applications a "
                + "WHERE a.application_id = v.application_id)").query(Long.class).single()).isPositive();
        // And through what the chart counts once: verdicts published again, amendments, card sets.
        Snapshot.Activity hour = oracle.activity(NOW);
        assertThat(hour.submitted()).isPositive();
        assertThat(hour.amended()).isPositive();
        // The card sets are card_sets' rows by their issue time (some are of the next minute, a clock ahead of ours).
        Timestamp from = Timestamp.from(hour.from());
        Timestamp until = Timestamp.from(NOW.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)));
        assertThat(hour.cardSets()).isPositive().isEqualTo(jdbc.sql("SELECT count(*) FROM card_sets WHERE issued_at >= ? AND issued_at < ?")
                .params(from, until).query(Long.class).single());
        assertThat(hour.verdicts().stream().mapToLong(Snapshot.AgencyVerdicts::total).sum()).isPositive().isLessThan(jdbc.sql(
                "SELECT count(*) FROM timeline WHERE kind = 'VERDICT' AND occurred_at >= ? AND occurred_at < ?")
                .params(from, until).query(Long.class).single());
    }

    @Test
    void twoTransactionsChangingOneApplicationAtOnceTakeItInTurnsSoTheCountsStayExact() throws Exception {
        UUID application = UUID.randomUUID();
        CountDownLatch submittedButNotCommitted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try {
            // One instance folds the submission from eport.applications, another the verdict from eport.verdicts.tax.
            Future<?> submission = instances.submit(() -> transaction.executeWithoutResult(status -> {
                projection.apply(List.of(received(submitted(application, 1, TestEvents.newSlipNumber(), NOW.minusSeconds(60)), NOW)));
                submittedButNotCommitted.countDown();
                await(commit);
            }));
            await(submittedButNotCommitted);
            Future<?> verdict = instances.submit(() -> transaction.executeWithoutResult(status -> projection.apply(
                    List.of(received(asRead(application, 1, Agency.TAX, Outcome.APPROVED, NOW.minusSeconds(30)), NOW)))));
            // The verdict's transaction either waits for the submission's, or (were it not to) finishes first.
            while (!verdict.isDone() && waitingForALock() == 0) {
                Thread.sleep(10);
            }
            commit.countDown();
            submission.get(30, TimeUnit.SECONDS);
            verdict.get(30, TimeUnit.SECONDS);
        } finally {
            commit.countDown();
            instances.shutdownNow();
        }

        Snapshot snapshot = view.snapshot();
        assertThat(snapshot.funnel()).isEqualTo(oracle.funnel());
        assertThat(snapshot.agencies()).isEqualTo(oracle.agencies(NOW));
        assertThat(row(snapshot.agencies(), Agency.TAX)).extracting(Snapshot.AgencyRow::approved, Snapshot.AgencyRow::pending)
                .containsExactly(1L, 0L);
    }

    @Test
    void theMigrationCountsAReadModelThatWasThereBeforeItAsTheAggregatesDid() throws Exception {
        Random random = new Random(7);
        consumer.consume(interleaved(random, IntStream.range(0, 60).mapToObj(i -> historyOfOne(random)).toList()), projection::apply);
        deadLetters.count(List.of(deadLetter(1, "intake", "unreadable"), deadLetter(2, "intake", "unreadable"),
                deadLetter(3, "tax-check", "no headers")));
        jdbc.sql("TRUNCATE funnel_counts, agency_counts, pending_checks, dead_letter_counts, activity_minutes").update();

        String migration = new ClassPathResource("db/migration/dashboard/V3__create_running_counts.sql")
                .getContentAsString(StandardCharsets.UTF_8);
        String backfill = migration.substring(migration.indexOf("-- The counts of the read model as it stands"));
        // V6 counts the timeline's last day before the migration runs: here, as if it ran at NOW.
        String minutes = new ClassPathResource("db/migration/dashboard/V6__create_activity_minutes.sql")
                .getContentAsString(StandardCharsets.UTF_8);
        backfill += minutes.substring(minutes.indexOf("-- The timeline's last day as it stands"))
                .replace("now()", "CAST('" + NOW + "' AS timestamptz)");
        for (String statement : backfill.split(";\\s*\\n")) {
            if (!statement.isBlank()) {
                jdbc.sql(statement).update();
            }
        }

        Snapshot snapshot = view.snapshot();
        assertThat(snapshot.funnel()).isEqualTo(oracle.funnel());
        assertThat(snapshot.agencies()).isEqualTo(oracle.agencies(NOW));
        assertThat(snapshot.deadLetters()).isEqualTo(oracle.deadLetters());
        assertThat(snapshot.activity()).isEqualTo(oracle.activity(NOW));
        assertThat(snapshot.funnel().submitted()).isPositive();
        assertThat(snapshot.activity().submitted()).isPositive();
    }

    @Test
    void aSnapshotReadsTheSameRowsWithTwentyThousandApplicationsBehindItAsWithTenThousand() {
        RowsRead none = rowsReadBySnapshot();
        seedHistory(0, 10_000);
        RowsRead tenThousand = rowsReadBySnapshot();
        seedHistory(10_000, 20_000);
        RowsRead twentyThousand = rowsReadBySnapshot();
        System.out.printf("Rows a snapshot reads: %d with no application (%s), %d with 10,000 (%s), %d with 20,000 (%s)%n",
                none.total(), none.byRelation(), tenThousand.total(), tenThousand.byRelation(), twentyThousand.total(),
                twentyThousand.byRelation());

        assertThat(twentyThousand.total()).as("rows read with 20,000 applications: %s", twentyThousand.byRelation())
                .isEqualTo(tenThousand.total())
                // a row per agency and per counter, a few per agency's oldest pending check, a row per dead-letter reason
                .isLessThan(100);
    }

    @Test
    void theChartReadsAsManyRowsForABusyHourAsForAQuietOne() {
        seedLastHour(1);
        RowsRead quiet = rowsReadBySnapshot();
        seedLastHour(10);
        RowsRead busy = rowsReadBySnapshot();
        System.out.printf("Rows a snapshot reads: %d with an application a minute over the last hour (%s), %d with eleven (%s)%n",
                quiet.total(), quiet.byRelation(), busy.total(), busy.byRelation());

        assertThat(chartRows(busy)).as("the chart's rows, an hour of eleven applications a minute: %s", busy.byRelation())
                .isEqualTo(chartRows(quiet))
                // sixty minutes of eight series (no amendment): an index entry and a row each, whichever way PostgreSQL reads them
                .isPositive().isLessThanOrEqualTo(3L * 60 * 8);
        assertThat(view.snapshot().activity()).isEqualTo(oracle.activity(NOW));
        assertThat(view.snapshot().activity().submitted()).isEqualTo(60 * 11);
    }

    private static long chartRows(RowsRead read) {
        return read.byRelation().entrySet().stream().filter(e -> e.getKey().startsWith("activity_minutes"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * {@code perMinute} more applications in each minute of the last hour, up to the current one: each
     * submitted, approved by the six and issued its cards within its minute.
     */
    private void seedLastHour(int perMinute) {
        List<ReceivedEvent> batch = new ArrayList<>();
        Instant first = NOW.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(59));
        for (int minute = 0; minute < 60; minute++) {
            for (int i = 0; i < perMinute; i++) {
                UUID application = UUID.randomUUID();
                Instant at = first.plus(Duration.ofMinutes(minute)).plusSeconds(i);
                String slip = TestEvents.newSlipNumber();
                batch.add(received(submitted(application, 1, slip, at), at));
                for (Agency agency : Agency.values()) {
                    batch.add(received(asRead(application, 1, agency, Outcome.APPROVED, at.plusSeconds(20)), at));
                }
                batch.add(received(cards(application, 1, slip, at.plusSeconds(40)), at));
            }
        }
        for (int from = 0; from < batch.size(); from += SEED_BATCH) {
            apply(batch.subList(from, Math.min(batch.size(), from + SEED_BATCH)));
        }
        vacuumAsAutovacuumWouldHaveByThen();
    }

    /**
     * One application's events in the order their producers published them, as records: its
     * submission (or none yet: an application whose verdicts came first), perhaps amendments, and each
     * agency's verdicts on each revision, at random: approved, rejected, referred and then decided by a
     * reviewer (or not yet), none yet; some a conflicting final verdict after the first, some the same
     * verdict published again, some a late verdict on a revision amended since; withdrawn, or
     * registered by telecom and issued its cards (the dashboard counts, it does not judge). Some
     * records are delivered twice, under one id.
     */
    private List<IncomingRecord> historyOfOne(Random random) {
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        Instant at = NOW.minus(Duration.ofMinutes(1 + random.nextInt(40)));
        int revisions = random.nextInt(10) < 7 ? 1 : random.nextInt(10) < 7 ? 2 : 3;
        List<ApplicationEvent> published = new ArrayList<>();
        for (int revision = 1; revision <= revisions; revision++) {
            Instant revised = at.plusSeconds(revision * 20L);
            if (revision == 1) {
                if (random.nextInt(40) > 0) {
                    published.add(submitted(application, 1, slip, revised));
                }
            } else {
                published.add(TestEvents.amended(application, revision, slip, revised));
                if (random.nextBoolean()) {
                    Agency late = Agency.values()[random.nextInt(Agency.values().length)];
                    published.add(verdict(application, revision - 1, late, Outcome.APPROVED, revised.plusSeconds(1)));
                }
            }
            for (Agency agency : Agency.values()) {
                Instant decided = revised.plusSeconds(2 + random.nextInt(15));
                int pick = random.nextInt(100);
                VerdictIssued first;
                if (pick < 8) {
                    continue;
                } else if (pick < 25) {
                    first = verdict(application, revision, agency, Outcome.REFERRED, decided, reason("MANUAL_REVIEW"));
                    published.add(first);
                    if (random.nextInt(3) > 0) {
                        published.add(reviewed(application, revision, agency, random.nextInt(4) > 0 ? Outcome.APPROVED
                                : Outcome.REJECTED, decided.plusSeconds(3), "reviewer-" + agency.id()));
                    }
                } else if (pick < 35) {
                    first = verdict(application, revision, agency, Outcome.REJECTED, decided, reason("NOT_REGISTERED"));
                    published.add(first);
                } else {
                    first = verdict(application, revision, agency, Outcome.APPROVED, decided);
                    published.add(first);
                }
                if (random.nextInt(10) == 0) {
                    published.add(first);
                }
                if (random.nextInt(12) == 0) {
                    published.add(verdict(application, revision, agency, first.outcome() == Outcome.APPROVED ? Outcome.REJECTED
                            : Outcome.APPROVED, decided.plusSeconds(4), reason("CONFLICT")));
                }
            }
        }
        int end = random.nextInt(10);
        if (end == 0) {
            published.add(withdrawn(application, revisions, at.plusSeconds(100)));
        } else if (end < 6) {
            published.add(telecomRegistered(application, slip, at.plusSeconds(110)));
            published.add(cards(application, revisions, slip, at.plusSeconds(120)));
        }
        List<IncomingRecord> records = new ArrayList<>();
        for (ApplicationEvent event : published) {
            IncomingRecord record = events.record(event, UUID.randomUUID().toString(), NOW);
            records.add(record);
            if (random.nextInt(10) == 0) {
                records.add(record);
            }
        }
        return records;
    }

    /**
     * The applications' records on the topics as one consumer reads them: interleaved at random, each
     * application's mostly in order, but one in six overtaken by a later one of its own (another topic).
     */
    private static List<IncomingRecord> interleaved(Random random, List<List<IncomingRecord>> histories) {
        List<List<IncomingRecord>> left = new ArrayList<>();
        histories.forEach(history -> left.add(new ArrayList<>(history)));
        List<IncomingRecord> read = new ArrayList<>();
        while (!left.isEmpty()) {
            int pick = random.nextInt(left.size());
            List<IncomingRecord> history = left.get(pick);
            read.add(history.remove(random.nextInt(6) == 0 ? random.nextInt(history.size()) : 0));
            if (history.isEmpty()) {
                left.remove(pick);
            }
        }
        return read;
    }

    private static Reason reason(String code) {
        return new Reason(code, "需人工审查", "needs a person's review");
    }

    private static Snapshot.AgencyRow row(List<Snapshot.AgencyRow> rows, Agency agency) {
        return rows.stream().filter(row -> row.agency() == agency).findFirst().orElseThrow();
    }

    private long waitingForALock() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                .query(Long.class).single();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other transaction did not get there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applications as the joint review leaves them over a month: most approved by all six and issued
     * their cards; every tenth rejected by tax, every fortieth of those amended and then approved;
     * every twentieth referred by forex and approved on review; every twenty-fifth still waiting for
     * customs; every fiftieth withdrawn. And a dead letter for every twentieth, of five reasons.
     */
    private void seedHistory(int from, int to) {
        List<ReceivedEvent> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            UUID application = new UUID(0x5eedL, i);
            Instant at = HISTORY.plus(Duration.ofMinutes(i));
            String slip = "YY2098" + String.format("%09d", i);
            boolean rejected = i % 10 == 3;
            boolean amended = rejected && i % 40 == 13;
            boolean waiting = i % 25 == 7;
            boolean withdrawnOne = i % 50 == 11;
            batch.add(received(submitted(application, 1, slip, at), at));
            for (Agency agency : Agency.values()) {
                if (waiting && agency == Agency.CUSTOMS) {
                    continue;
                }
                if (i % 20 == 5 && agency == Agency.FOREX) {
                    batch.add(received(asRead(application, 1, agency, Outcome.REFERRED, at.plusSeconds(5)), at));
                }
                batch.add(received(asRead(application, 1, agency, rejected && agency == Agency.TAX ? Outcome.REJECTED
                        : Outcome.APPROVED, at.plusSeconds(10)), at));
            }
            if (amended) {
                batch.add(received(TestEvents.amended(application, 2, slip, at.plusSeconds(20)), at));
                for (Agency agency : Agency.values()) {
                    batch.add(received(asRead(application, 2, agency, Outcome.APPROVED, at.plusSeconds(30)), at));
                }
            }
            if (withdrawnOne) {
                batch.add(received(withdrawn(application, 1, at.plusSeconds(40)), at));
            } else if (!waiting && (!rejected || amended)) {
                batch.add(received(telecomRegistered(application, slip, at.plusSeconds(40)), at));
                batch.add(received(cards(application, amended ? 2 : 1, slip, at.plusSeconds(50)), at));
            }
            if (batch.size() >= SEED_BATCH) {
                apply(batch);
                batch = new ArrayList<>();
            }
        }
        apply(batch);
        List<IncomingRecord> letters = new ArrayList<>();
        for (int i = from; i < to; i += 20) {
            letters.add(deadLetter(i, i % 3 == 0 ? "intake" : "tax-check", "reason " + i / 20 % 5 + " for " + UUID.randomUUID()));
        }
        deadLetters.count(letters);
        vacuumAsAutovacuumWouldHaveByThen();
    }

    /** Dead rows gone, and the planner knows how big the tables are. */
    private void vacuumAsAutovacuumWouldHaveByThen() {
        for (String table : jdbc.sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").query(String.class).list()) {
            jdbc.sql("VACUUM (ANALYZE) \"" + table + "\"").update();
        }
    }

    private void apply(List<ReceivedEvent> batch) {
        if (!batch.isEmpty()) {
            transaction.executeWithoutResult(status -> projection.apply(batch));
        }
    }

    /** A verdict as the projection gets it: the consumer has verified its signature already, so none is needed here. */
    private static VerdictIssued asRead(UUID application, int revision, Agency agency, Outcome outcome, Instant at) {
        List<Reason> reasons = outcome == Outcome.APPROVED ? List.of() : List.of(new Reason(agency + "_CHECK", "需人工审查", "see why"));
        return new VerdictIssued(application, revision, agency, outcome, reasons, new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"),
                at, "");
    }

    private static IncomingRecord deadLetter(long offset, String group, String reason) {
        return new IncomingRecord("eport.dlt." + group, 0, offset, "some-key",
                Map.of(CloudEventHeaders.DLT_REASON, reason, CloudEventHeaders.DLT_CONSUMER_GROUP, group),
                "not an event".getBytes(StandardCharsets.UTF_8));
    }

    /** What one snapshot read: rows from tables and entries from indexes, per relation of the dashboard's schema. */
    record RowsRead(long total, Map<String, Long> byRelation) {
    }

    /**
     * Takes a snapshot in a transaction and asks PostgreSQL what this backend read in it, per relation
     * (rows returned by sequential scans, index entries returned, rows fetched through indexes): its own
     * counts, before and after the snapshot, so nothing waits for the statistics to be flushed, and
     * what earlier transactions on the connection read (not flushed yet) is left out.
     */
    private RowsRead rowsReadBySnapshot() {
        return Objects.requireNonNull(transaction.execute(status -> {
            Map<String, Long> before = rowsReadSoFar();
            view.snapshot();
            Map<String, Long> read = new TreeMap<>();
            rowsReadSoFar().forEach((relation, n) -> {
                long delta = n - before.getOrDefault(relation, 0L);
                if (delta > 0) {
                    read.put(relation, delta);
                }
            });
            return new RowsRead(read.values().stream().mapToLong(Long::longValue).sum(), read);
        }));
    }

    private Map<String, Long> rowsReadSoFar() {
        Map<String, Long> read = new TreeMap<>();
        jdbc.sql("""
                SELECT c.relname, pg_stat_get_xact_tuples_returned(c.oid) + pg_stat_get_xact_tuples_fetched(c.oid) AS n
                FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'i')""")
                .query((rs, n) -> Map.entry(rs.getString("relname"), rs.getLong("n")))
                .list().forEach(e -> read.put(e.getKey(), e.getValue()));
        return read;
    }
}
