package cn.eport.localinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the embedded binaries on Maven Central, with one database
 * ({@value #DATABASE}) that every service shares, each in its own schema.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String DATABASE = "eport";
    public static final String USER = "eport";
    public static final String PASSWORD = "eport";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);

    private final EmbeddedPostgres server;

    private LocalPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts a server on {@code port} (0 picks a free one). With a {@code dataDirectory} the data
     * survives restarts; without one it lives in a temporary folder removed on close.
     */
    public static LocalPostgres start(int port, Path dataDirectory) {
        return start(port, dataDirectory, null);
    }

    /**
     * As {@link #start(int, Path)}, with the binaries unpacked under {@code binariesDirectory} (in a
     * {@code PG-<digest>} folder) rather than the temporary folder: {@link StandalonePostgres} runs them
     * from there as a process of their own.
     */
    public static LocalPostgres start(int port, Path dataDirectory, Path binariesDirectory) {
        long started = System.nanoTime();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // Its owner stops it, after what uses it: a hook of its own would stop it in parallel with them.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (binariesDirectory != null) {
                builder.setOverrideWorkingDirectory(binariesDirectory.toFile());
            }
            EmbeddedPostgres server = builder.start();
            LocalPostgres postgres = new LocalPostgres(server);
            postgres.createDatabase();
            log.info("PostgreSQL ready at {} in {} ms", postgres.jdbcUrl(), (System.nanoTime() - started) / 1_000_000);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public static LocalPostgres start() {
        return start(0, null);
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    private void createDatabase() {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement sql = connection.createStatement()) {
            var exists = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'");
            if (!exists.next()) {
                sql.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            // The administrator, as POSTGRES_USER is in the official image: it gives each service its own
            // role (DatabaseRoles), which is all the services use.
            sql.execute("ALTER ROLE " + USER + " SUPERUSER");
            requirePasswords(sql);
            exists = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!exists.next()) {
                sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE, e);
        }
    }

    private static final String HBA_MARKER = "# Written by cn.eport.localinfra.LocalPostgres.";

    /** Whether {@code dataDirectory} is a cluster this version has already prepared (its administrator, passwords checked). */
    static boolean isPrepared(Path dataDirectory) {
        try {
            Path hba = dataDirectory.resolve("pg_hba.conf");
            return Files.exists(dataDirectory.resolve("PG_VERSION")) && Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every role but the launcher's own bootstrap superuser proves its password (SCRAM): without it the
     * embedded binaries trust every connection, and one service could log in as another's role.
     */
    private static void requirePasswords(Statement sql) throws SQLException {
        String hbaFile;
        try (var shown = sql.executeQuery("SHOW hba_file")) {
            shown.next();
            hbaFile = shown.getString(1);
        }
        try {
            Files.writeString(Path.of(hbaFile), HBA_MARKER + """
                     The embedded launcher checks the server as
                    # postgres, without a password; every other role proves its password.
                    local all postgres              trust
                    host  all postgres 127.0.0.1/32 trust
                    host  all postgres ::1/128      trust
                    local all all                   scram-sha-256
                    host  all all      127.0.0.1/32 scram-sha-256
                    host  all all      ::1/128      scram-sha-256
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + hbaFile, e);
        }
        sql.execute("SELECT pg_reload_conf()");
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.warn("PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }
}
