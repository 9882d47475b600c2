package cn.eport.localinfra;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of {@link LocalKafka} as a process of its own, keeping its data in a directory across
 * restarts (formatted only when empty): the multi-process system's Kafka.
 *
 * <pre>java -cp ... cn.eport.localinfra.StandaloneKafka --port 9092 --controller-port 9093 --data target/kafka</pre>
 *
 * SIGTERM stops it with a controlled shutdown; kill -9 leaves the log to be recovered on the next start.
 */
public final class StandaloneKafka {

    private static final Logger log = LoggerFactory.getLogger(StandaloneKafka.class);

    private StandaloneKafka() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 9092;
        int controllerPort = 0;
        Path data = Path.of("target/kafka");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--controller-port" -> controllerPort = Integer.parseInt(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --port, --controller-port, --data)");
            }
        }
        LocalKafka kafka = LocalKafka.start(port, controllerPort != 0 ? controllerPort : port + 1, data);
        // The guard that keeps an embedded broker from ending its host JVM is wrong here: this JVM is the
        // broker, and a broker that hit a fatal fault should end, visibly, rather than linger half-dead.
        Exit.resetExitProcedure();
        Exit.resetHaltProcedure();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "kafka-stop"));
        log.info("Kafka broker ready at {} with its data in {}", kafka.bootstrapServers(), data.toAbsolutePath());
        stopped.await();
    }
}
