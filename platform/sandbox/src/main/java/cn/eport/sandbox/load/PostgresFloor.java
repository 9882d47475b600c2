package cn.eport.sandbox.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the database under the system allows at most, measured on that same PostgreSQL in the same
 * run, so that the system's results can be given as ratios to it: absolute numbers on a shared
 * machine drift from run to run. One event is what every consumer does for each record it takes: an
 * inbox row and an outbox row, in one transaction ({@link #singleEvents}), or a hundred of each per
 * transaction, as a consumer's batch commits them ({@link #batchedEvents}). Eight clients, fsync and
 * synchronous commit as the server is configured. Its tables live in a schema of its own, dropped after.
 */
final class PostgresFloor {

    private static final String SCHEMA = "loadgen_floor";
    private static final int CLIENTS = 8;
    private static final byte[] PAYLOAD = new byte[600];

    /** Transactions and events a second, and the mean commit time, of one way of writing. */
    record Rate(int eventsPerTransaction, double transactionsPerSecond, double eventsPerSecond, double meanCommitMillis) {
    }

    /** Both ways, measured one after the other. */
    record Floor(Rate single, Rate batched) {
    }

    private final Database database;

    PostgresFloor(Database database) {
        this.database = database;
    }

    Floor measure(Duration each) throws SQLException, InterruptedException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            statement.execute("CREATE SCHEMA " + SCHEMA);
            statement.execute("CREATE TABLE " + SCHEMA + ".inbox (event_id uuid PRIMARY KEY, consumed_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("CREATE TABLE " + SCHEMA + ".outbox (id bigserial PRIMARY KEY, topic text NOT NULL, event_key text NOT NULL, "
                    + "payload bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
        }
        try {
            Rate single = run(1, each);
            Rate batched = run(100, each);
            return new Floor(single, batched);
        } finally {
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private Rate run(int eventsPerTransaction, Duration duration) throws InterruptedException {
        LongAdder transactions = new LongAdder();
        LongAdder commitNanos = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> {
                try (Connection connection = database.connect()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement inbox = connection.prepareStatement("INSERT INTO " + SCHEMA + ".inbox (event_id) VALUES (?)");
                         PreparedStatement outbox = connection.prepareStatement(
                                 "INSERT INTO " + SCHEMA + ".outbox (topic, event_key, payload) VALUES ('eport.floor', ?, ?)")) {
                        while (System.nanoTime() < end) {
                            for (int i = 0; i < eventsPerTransaction; i++) {
                                UUID id = UUID.randomUUID();
                                inbox.setObject(1, id);
                                inbox.addBatch();
                                outbox.setString(1, id.toString());
                                outbox.setBytes(2, PAYLOAD);
                                outbox.addBatch();
                            }
                            inbox.executeBatch();
                            outbox.executeBatch();
                            long commitStarted = System.nanoTime();
                            connection.commit();
                            commitNanos.add(System.nanoTime() - commitStarted);
                            transactions.increment();
                        }
                    }
                } catch (SQLException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "floor-client-" + c);
            clients.add(client);
        }
        long started = System.nanoTime();
        clients.forEach(Thread::start);
        for (Thread client : clients) {
            client.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the floor could not be measured: " + failures.get(0), failures.get(0));
        }
        long count = transactions.sum();
        return new Rate(eventsPerTransaction, count / seconds, count * eventsPerTransaction / seconds,
                count == 0 ? 0 : commitNanos.sum() / 1e6 / count);
    }

    /** Where the database is, and how to connect to it. */
    record Database(String url, String user, String password) {

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }
}
