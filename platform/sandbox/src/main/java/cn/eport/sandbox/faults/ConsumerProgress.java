package cn.eport.sandbox.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the consumer groups' committed offsets, once a second, with the admin client: a service
 * consumes again after a restart when its group's committed offsets move past where they stood when
 * it became ready. (Offsets are committed after each batch, so the first batch it finishes moves them.)
 */
final class ConsumerProgress implements AutoCloseable {

    private record Sample(Instant at, long committed) {
    }

    private final Admin admin;
    private final List<String> groups;
    private final Map<String, List<Sample>> samples = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    ConsumerProgress(Map<String, Object> kafkaClient, List<String> groups) {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.putAll(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        this.admin = Admin.create(config);
        this.groups = List.copyOf(groups);
        groups.forEach(group -> samples.put(group, new ArrayList<>()));
        this.thread = new Thread(this::run, "fault-matrix-offsets");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            long began = System.nanoTime();
            try {
                Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
                groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
                Map<String, Map<TopicPartition, OffsetAndMetadata>> all = admin.listConsumerGroupOffsets(specs).all().get(5, TimeUnit.SECONDS);
                Instant now = Instant.now();
                synchronized (this) {
                    all.forEach((group, offsets) -> samples.get(group).add(new Sample(now,
                            offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum())));
                }
            } catch (Exception e) {
                // the broker is away: no sample this second
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            long slept = Math.max(0, 1000 - (System.nanoTime() - began) / 1_000_000);
            try {
                Thread.sleep(slept);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The first time after {@code after} that the group's committed offsets stood beyond where they
     * stood at {@code after} (the last sample before it): when it consumed again.
     */
    synchronized Optional<Instant> firstAdvanceAfter(String group, Instant after) {
        List<Sample> history = samples.getOrDefault(group, List.of());
        long baseline = -1;
        for (Sample sample : history) {
            if (!sample.at().isAfter(after)) {
                baseline = sample.committed();
            } else if (baseline < 0) {
                baseline = sample.committed();
            } else if (sample.committed() > baseline) {
                return Optional.of(sample.at());
            }
        }
        return Optional.empty();
    }

    /** Per group, the records on its partitions that it has not committed yet (of the partitions it has committed on). */
    Map<String, Long> lag() {
        Map<String, Long> lag = new LinkedHashMap<>();
        try {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
            groups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> all = admin.listConsumerGroupOffsets(specs).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            all.values().forEach(offsets -> offsets.keySet().forEach(partition -> ends.put(partition, OffsetSpec.latest())));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS).forEach((partition, info) -> end.put(partition, info.offset()));
            for (String group : groups) {
                long behind = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> committed : all.getOrDefault(group, Map.of()).entrySet()) {
                    if (committed.getValue() != null) {
                        behind += Math.max(0, end.getOrDefault(committed.getKey(), 0L) - committed.getValue().offset());
                    }
                }
                lag.put(group, behind);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            groups.forEach(group -> lag.putIfAbsent(group, -1L));
        }
        return lag;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
