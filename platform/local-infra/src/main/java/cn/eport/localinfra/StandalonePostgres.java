package cn.eport.localinfra;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * PostgreSQL as a process of its own, from the same embedded binaries as {@link LocalPostgres}, on a
 * data directory that outlives it: {@link #prepare} unpacks the binaries and, on first use, creates the
 * cluster with the {@value LocalPostgres#DATABASE} database; {@link #command()} is the postmaster's
 * command line, for whoever runs and stops the process (an immediate shutdown, or kill -9, then the same
 * command again on the same data).
 *
 * <p>PostgreSQL refuses to run as root. As root the postmaster runs under {@code unshare -U}, in a user
 * namespace of its own where it is not root, as the embedded binaries' own launcher does for initdb; the
 * data directory, made the same way, is its own there. {@code unshare} replaces itself with the
 * postmaster, so the process started is the postmaster: its signals are the postmaster's (SIGTERM smart,
 * SIGINT fast, SIGQUIT immediate shutdown).
 */
public final class StandalonePostgres {

    private final Path dataDirectory;
    private final Path postgres;
    private final int port;

    private StandalonePostgres(Path dataDirectory, Path postgres, int port) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Makes {@code dataDirectory} a cluster with the joint review's database as this version wants it
     * (its administrator, passwords checked), unless it is one already, whether it is new or one an
     * earlier version made, and the binaries runnable from {@code binariesDirectory}. Runs the server
     * briefly then, on {@code port}, so nothing may be listening there.
     */
    public static StandalonePostgres prepare(Path dataDirectory, Path binariesDirectory, int port) {
        Path absoluteData = dataDirectory.toAbsolutePath();
        Path absoluteBinaries = binariesDirectory.toAbsolutePath();
        if (!LocalPostgres.isPrepared(absoluteData) || findPostgres(absoluteBinaries) == null) {
            try {
                Files.createDirectories(absoluteBinaries);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalPostgres.start(port, absoluteData, absoluteBinaries).close();
        }
        Path postgres = findPostgres(absoluteBinaries);
        if (postgres == null) {
            // The embedded PostgreSQL unpacks its binaries once per JVM: when this JVM started one before
            // (a test suite's shared database), they are where that one put them, not here.
            postgres = findPostgres(Path.of(System.getProperty("ot.epg.working-dir",
                    Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString())));
        }
        if (postgres == null) {
            throw new IllegalStateException("no PostgreSQL binaries were unpacked in " + absoluteBinaries);
        }
        return new StandalonePostgres(absoluteData, postgres, port);
    }

    private static Path findPostgres(Path binariesDirectory) {
        if (!Files.isDirectory(binariesDirectory)) {
            return null;
        }
        try (Stream<Path> unpacked = Files.list(binariesDirectory)) {
            return unpacked.filter(dir -> dir.getFileName().toString().startsWith("PG-"))
                    .map(dir -> dir.resolve("bin/postgres")).filter(Files::isExecutable).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The postmaster on the data directory, on loopback TCP only, with {@link LocalPostgres}'s settings:
     * durable commits and room for every service's pool.
     */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name")) && LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgres.toString(), "-D", dataDirectory.toString(), "-p", String.valueOf(port),
                "-c", "listen_addresses=127.0.0.1",
                // TCP only: no socket file in /tmp shared with other servers on the machine.
                "-c", "unix_socket_directories=",
                "-c", "max_connections=400",
                "-c", "fsync=on",
                "-c", "synchronous_commit=on",
                "-c", "timezone=UTC"));
        return command;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + LocalPostgres.DATABASE;
    }
}
