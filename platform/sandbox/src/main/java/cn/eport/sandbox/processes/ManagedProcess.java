package cn.eport.sandbox.processes;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One operating-system process of the system, started again and again from the same command: its
 * output appended to one log file, its pid in a file (so a harness that was itself killed can find
 * and end what it left behind), a readiness check polled after every start.
 */
final class ManagedProcess {

    /** How a process is asked to end. */
    enum Signal {
        TERM, INT, QUIT, KILL
    }

    private static final Duration READINESS_POLL = Duration.ofMillis(250);
    private static final Duration READINESS_PATIENCE = Duration.ofMinutes(5);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final Path pidFile;
    private final BooleanSupplier readiness;
    private final Signal gracefulSignal;
    private final Consumer<ProcessEvent> events;
    private final Consumer<ManagedProcess> onCrash;
    private final ExecutorService background;

    /** The current run; guarded by this. */
    private Process process;
    /** Whether the current run's end is expected (it was asked to stop); guarded by this. */
    private boolean stopping;
    private Instant startedAt;
    private CompletableFuture<Instant> ready = new CompletableFuture<>();

    ManagedProcess(String name, List<String> command, Map<String, String> environment, Path log, Path pidFile,
            BooleanSupplier readiness, Signal gracefulSignal, Consumer<ProcessEvent> events, Consumer<ManagedProcess> onCrash,
            ExecutorService background) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.pidFile = pidFile;
        this.readiness = readiness;
        this.gracefulSignal = gracefulSignal;
        this.events = events;
        this.onCrash = onCrash;
        this.background = background;
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Starts the process unless it runs; {@code why} goes into the log and the event. */
    synchronized Instant start(String why) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running (pid " + process.pid() + ")");
        }
        Instant now = Instant.now();
        try {
            Files.writeString(log, "\n===== " + now + " " + name + " started (" + why + "): " + printable(command) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process started = builder.start();
            process = started;
            stopping = false;
            startedAt = now;
            CompletableFuture<Instant> readyOfThisRun = new CompletableFuture<>();
            ready = readyOfThisRun;
            Files.writeString(pidFile, Long.toString(started.pid()), StandardCharsets.US_ASCII);
            events.accept(new ProcessEvent(now, name, ProcessEvent.Kind.STARTED, why + ", pid " + started.pid()));
            started.onExit().thenAccept(this::exited);
            background.execute(() -> watchReadiness(started, now, readyOfThisRun));
            return now;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** The command line with a long class path shortened: the log shows what ran, not two hundred jars. */
    private static String printable(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            String argument = command.get(i);
            boolean classPath = i > 0 && command.get(i - 1).equals("-cp") && argument.length() > 200;
            line.append(i == 0 ? "" : " ").append(classPath
                    ? "<class path of " + argument.split(File.pathSeparator).length + " entries>" : argument);
        }
        return line.toString();
    }

    private void watchReadiness(Process run, Instant started, CompletableFuture<Instant> readyOfThisRun) {
        Instant deadline = started.plus(READINESS_PATIENCE);
        while (run.isAlive() && Instant.now().isBefore(deadline)) {
            boolean isReady;
            try {
                isReady = readiness.getAsBoolean();
            } catch (RuntimeException e) {
                isReady = false;
            }
            if (isReady) {
                Instant now = Instant.now();
                events.accept(new ProcessEvent(now, name, ProcessEvent.Kind.READY, Duration.between(started, now).toMillis() + " ms after start"));
                readyOfThisRun.complete(now);
                return;
            }
            try {
                Thread.sleep(READINESS_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        readyOfThisRun.completeExceptionally(new IllegalStateException(name + (run.isAlive()
                ? " was not ready within " + READINESS_PATIENCE.toSeconds() + " s" : " ended before it was ready") + "; see " + log));
    }

    private void exited(Process run) {
        boolean expected;
        boolean current;
        synchronized (this) {
            current = run == process;
            // A run already replaced by a new one was asked to stop: start() refuses while one runs.
            expected = !current || stopping;
        }
        if (current) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // a stale pid file is checked against the command line before anything is done with it
            }
        }
        int code = run.exitValue();
        events.accept(new ProcessEvent(Instant.now(), name, expected ? ProcessEvent.Kind.EXITED : ProcessEvent.Kind.CRASHED,
                "exit code " + code));
        if (!expected) {
            onCrash.accept(this);
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized Optional<Long> pid() {
        return process != null && process.isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    synchronized Instant startedAt() {
        return startedAt;
    }

    /** The time the current run became ready, waiting for it up to {@code timeout}. */
    Instant awaitReady(Duration timeout) {
        CompletableFuture<Instant> current;
        synchronized (this) {
            current = ready;
        }
        try {
            return current.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log, e);
        }
    }

    /** Whether the current run passed its readiness check. */
    synchronized boolean isReady() {
        return isAlive() && ready.isDone() && !ready.isCompletedExceptionally();
    }

    /**
     * Ends the current run: {@code signal}, then SIGKILL if it still runs after {@code grace}. Returns
     * when the process has ended.
     */
    Instant stop(Signal signal, Duration grace) {
        Process run;
        synchronized (this) {
            run = process;
            if (run == null || !run.isAlive()) {
                return Instant.now();
            }
            stopping = true;
        }
        Instant at = Instant.now();
        events.accept(new ProcessEvent(at, name, ProcessEvent.Kind.STOPPING, "SIG" + signal));
        switch (signal) {
            case TERM -> run.destroy();
            case KILL -> run.destroyForcibly();
            default -> send(signal, run.pid());
        }
        try {
            if (!run.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                events.accept(new ProcessEvent(Instant.now(), name, ProcessEvent.Kind.STOPPING,
                        "SIGKILL: still running " + grace.toSeconds() + " s after SIG" + signal));
                run.destroyForcibly();
                run.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.destroyForcibly();
        }
        return at;
    }

    /** Ends the current run the way it is asked to end normally (SIGTERM; PostgreSQL: SIGINT, a fast shutdown). */
    Instant stopGracefully(Duration grace) {
        return stop(gracefulSignal, grace);
    }

    private static void send(Signal signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not signal pid " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
