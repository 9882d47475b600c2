package cn.eport.sandbox.processes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stops, kills and restarts the processes of a {@link ProcessSystem} by name, from this machine only:
 * over HTTP on loopback, and as commands typed on the console.
 *
 * <pre>
 * GET  /processes                      every process: pid, alive, ready, port, log
 * POST /processes/{name}/stop          SIGTERM (PostgreSQL: a fast shutdown)
 * POST /processes/{name}/kill          SIGKILL
 * POST /processes/{name}/immediate     PostgreSQL: an immediate shutdown (SIGQUIT); others: SIGKILL
 * POST /processes/{name}/start         start it again, and answer once it is ready
 * POST /processes/{name}/restart       kill -9, start, ready: answers with the times
 * </pre>
 *
 * On the console: {@code status}, {@code stop <name>}, {@code kill <name>}, {@code immediate <name>},
 * {@code start <name>}, {@code restart <name>}.
 */
public final class ControlServer implements AutoCloseable {

    private final ProcessSystem system;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread thread = new Thread(r, "processes-control");
        thread.setDaemon(true);
        return thread;
    });

    private ControlServer(ProcessSystem system, HttpServer server) {
        this.system = system;
        this.server = server;
    }

    /** Serves the control API on loopback {@code port}. */
    public static ControlServer start(ProcessSystem system, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 20);
            ControlServer control = new ControlServer(system, server);
            server.createContext("/processes", control::handle);
            server.setExecutor(control.executor);
            server.start();
            return control;
        } catch (IOException e) {
            throw new UncheckedIOException("could not serve the process control on port " + port, e);
        }
    }

    /** Reads commands from standard input until it ends, on a thread of its own. */
    public void readConsole() {
        Thread console = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] words = line.trim().split("\\s+");
                    if (words[0].isEmpty()) {
                        continue;
                    }
                    System.out.println(words[0].equals("status") ? status()
                            : words.length == 2 ? act(words[1], words[0]) : "commands: status, stop|kill|immediate|start|restart <name>");
                }
            } catch (IOException e) {
                // standard input went away: the HTTP control is still there
            }
        }, "processes-console");
        console.setDaemon(true);
        console.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String method = exchange.getRequestMethod();
            if (parts.length == 2 && method.equals("GET")) {
                respond(exchange, 200, status());
            } else if (parts.length == 4 && method.equals("POST")) {
                if (!system.names().contains(parts[2])) {
                    respond(exchange, 404, "{\"error\":\"no process " + parts[2] + "\"}");
                    return;
                }
                respond(exchange, 200, act(parts[2], parts[3]));
            } else {
                respond(exchange, 404, "{\"error\":\"GET /processes, or POST /processes/{name}/{stop|kill|immediate|start|restart}\"}");
            }
        }
    }

    private String act(String name, String action) {
        if (!system.names().contains(name)) {
            return "{\"error\":\"no process " + name + "; there are " + system.names() + "\"}";
        }
        try {
            return switch (action) {
                case "stop" -> "{\"process\":\"" + name + "\",\"stopped\":\"" + system.stop(name) + "\"}";
                case "kill" -> "{\"process\":\"" + name + "\",\"killed\":\"" + system.kill(name) + "\"}";
                case "immediate" -> "{\"process\":\"" + name + "\",\"shutDown\":\"" + system.shutdownImmediately(name) + "\"}";
                case "start" -> {
                    Instant started = system.start(name);
                    Instant ready = system.awaitReady(name, Duration.ofMinutes(4));
                    yield "{\"process\":\"" + name + "\",\"started\":\"" + started + "\",\"ready\":\"" + ready
                            + "\",\"startToReadyMs\":" + Duration.between(started, ready).toMillis() + "}";
                }
                case "restart" -> {
                    ProcessSystem.Restart restart = system.restart(name, ProcessSystem.StopMode.KILL, Duration.ZERO);
                    yield "{\"process\":\"" + name + "\",\"killed\":\"" + restart.stoppedAt() + "\",\"started\":\"" + restart.startedAt()
                            + "\",\"ready\":\"" + restart.readyAt() + "\",\"startToReadyMs\":" + restart.startToReady().toMillis() + "}";
                }
                default -> "{\"error\":\"" + action + " is not stop, kill, immediate, start or restart\"}";
            };
        } catch (RuntimeException e) {
            return "{\"error\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}";
        }
    }

    private String status() {
        StringJoiner all = new StringJoiner(",\n ", "[", "]");
        for (String name : system.names()) {
            String port = ProcessSystem.SERVICES.contains(name) ? String.valueOf(system.httpPort(name)) : "null";
            all.add("{\"name\":\"" + name + "\",\"pid\":" + system.pid(name).map(String::valueOf).orElse("null")
                    + ",\"alive\":" + system.isAlive(name) + ",\"ready\":" + system.isReady(name) + ",\"port\":" + port
                    + ",\"log\":\"" + system.log(name) + "\"}");
        }
        return all.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
