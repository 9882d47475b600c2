package cn.eport.sandbox.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Where the multi-process system keeps its data and logs, where the services' jars are, its ports,
 * and how its JVMs run.
 *
 * @param home               data ({@code data/postgres}, {@code data/kafka}), logs ({@code logs/<process>.log}),
 *                           pid files ({@code pids/<process>.pid}) and the development JWT key
 * @param servicesDirectory  the repository's {@code services/} folder: each service runs from
 *                           {@code <service>/target/<service>-<version>-exec.jar}
 * @param httpPorts          each service's HTTP port, by service name
 * @param serviceJvmOptions  the options of every service's JVM (heap, JIT)
 * @param restartCrashed     whether a process that ends without being asked to is started again (as
 *                           compose's {@code restart: unless-stopped} would), after a short pause
 * @param snapshotJars       whether the jars are copied into {@code home/jars} at start and every (re)start
 *                           runs the copies: a run is then immune to jars rebuilt meanwhile (and every restart
 *                           runs the same code); without, a restarted service runs whatever jar is built now
 */
public record ProcessSettings(Path home, Path servicesDirectory, Map<String, Integer> httpPorts, int registryPort,
        int kafkaPort, int kafkaControllerPort, int postgresPort, List<String> serviceJvmOptions, boolean restartCrashed,
        boolean snapshotJars) {

    /**
     * Eleven JVMs share two cores here. A modest heap each keeps them all in memory; the serial
     * collector needs no GC threads of its own beside the application's; C1 alone
     * ({@code TieredStopAtLevel=1}) roughly halves start-up, which is what a restart after kill -9
     * waits for, for about a tenth less peak throughput (the benchmark: 142 against 160 applications/s);
     * and a JVM out of memory ends, to be restarted, rather than limping on.
     */
    public static final List<String> DEFAULT_SERVICE_JVM_OPTIONS = List.of(
            "-Xmx320m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    public ProcessSettings {
        httpPorts = Map.copyOf(httpPorts);
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
        home = home.toAbsolutePath().normalize();
        servicesDirectory = servicesDirectory.toAbsolutePath().normalize();
    }

    /** The sandbox's ports: services from {@code firstHttpPort} in {@link ProcessSystem#SERVICES} order; the controller beside Kafka. */
    public static ProcessSettings standard(Path home, Path servicesDirectory, int firstHttpPort, int registryPort, int kafkaPort,
            int postgresPort) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < ProcessSystem.SERVICES.size(); i++) {
            ports.put(ProcessSystem.SERVICES.get(i), firstHttpPort + i);
        }
        return new ProcessSettings(home, servicesDirectory, ports, registryPort, kafkaPort, kafkaPort + 1, postgresPort,
                DEFAULT_SERVICE_JVM_OPTIONS, true, false);
    }

    /**
     * Every port a free one of this machine's loopback, picked now, and the jars copied at start: for
     * tests and the fault matrix, beside anything else running and anyone rebuilding.
     */
    public static ProcessSettings onFreePorts(Path home, Path servicesDirectory) {
        List<Integer> free = freePorts(ProcessSystem.SERVICES.size() + 4);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < ProcessSystem.SERVICES.size(); i++) {
            ports.put(ProcessSystem.SERVICES.get(i), free.get(i));
        }
        int next = ProcessSystem.SERVICES.size();
        return new ProcessSettings(home, servicesDirectory, ports, free.get(next), free.get(next + 1), free.get(next + 2),
                free.get(next + 3), DEFAULT_SERVICE_JVM_OPTIONS, true, true);
    }

    public ProcessSettings withServiceJvmOptions(List<String> options) {
        return new ProcessSettings(home, servicesDirectory, httpPorts, registryPort, kafkaPort, kafkaControllerPort, postgresPort,
                options, restartCrashed, snapshotJars);
    }

    public ProcessSettings withRestartCrashed(boolean restart) {
        return new ProcessSettings(home, servicesDirectory, httpPorts, registryPort, kafkaPort, kafkaControllerPort, postgresPort,
                serviceJvmOptions, restart, snapshotJars);
    }

    private static List<Integer> freePorts(int count) {
        // Below Linux's ephemeral range (32768 and up by default): a port a killed service gives up is not
        // taken meanwhile by some outgoing connection's local end, so its restart can bind it again.
        // All held open at once, so that no two are the same.
        List<ServerSocket> held = new ArrayList<>();
        Random random = new Random();
        try {
            for (int attempts = 0; held.size() < count && attempts < 10_000; attempts++) {
                try {
                    held.add(new ServerSocket(20_000 + random.nextInt(12_000), 1, InetAddress.getLoopbackAddress()));
                } catch (IOException taken) {
                    // in use: try another
                }
            }
            while (held.size() < count) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a socket that was only bound
                }
            }
        }
    }
}
