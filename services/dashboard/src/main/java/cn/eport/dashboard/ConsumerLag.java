package cn.eport.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The lag of every consumer group of the joint review, read from the broker every few seconds: per
 * group, the end offsets of its partitions minus its committed offsets, summed. A partition the group
 * is assigned but has never committed on counts from the start of the log (where its consumer will
 * begin). A group that does not exist yet, or a broker that does not answer, is shown as such rather
 * than failing the page.
 */
@Component
class ConsumerLag implements SmartLifecycle {

    /**
     * @param state   the group's state as the broker reports it (STABLE, EMPTY, ...), or NOT_FOUND
     * @param lag     records not yet consumed, or null when it cannot be told
     * @param problem why the lag cannot be told, if it cannot
     */
    record GroupLag(String group, String state, int members, int partitions, @Nullable Long lag, @Nullable String problem) {
    }

    /** The latest reading; {@code readAt} is null before the first. */
    record Reading(@Nullable Instant readAt, List<GroupLag> groups) {
    }

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final KafkaAdmin kafkaAdmin;
    private final DashboardSettings settings;
    private final Clock clock;
    private volatile Reading latest = new Reading(null, List.of());
    private @Nullable Admin admin;
    private @Nullable ScheduledExecutorService scheduler;

    ConsumerLag(KafkaAdmin kafkaAdmin, DashboardSettings settings, Clock clock) {
        this.kafkaAdmin = kafkaAdmin;
        this.settings = settings;
        this.clock = clock;
    }

    Reading latest() {
        return latest;
    }

    /** Reads every group's lag now; the scheduler calls this, tests may too. */
    void refresh() {
        Admin client = admin;
        if (client == null) {
            return;
        }
        List<GroupLag> groups = new ArrayList<>();
        try {
            Map<String, KafkaFuture<ConsumerGroupDescription>> described =
                    client.describeConsumerGroups(settings.consumerGroups()).describedGroups();
            Map<String, Map<TopicPartition, Long>> committedByGroup = new HashMap<>();
            Map<String, Set<TopicPartition>> uncommittedByGroup = new HashMap<>();
            Map<String, GroupLag> unreadable = new HashMap<>();
            Map<String, ConsumerGroupDescription> descriptions = new HashMap<>();
            for (String group : settings.consumerGroups()) {
                try {
                    descriptions.put(group, described.get(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        unreadable.put(group, new GroupLag(group, "UNKNOWN", 0, 0, null, String.valueOf(e.getCause())));
                        continue;
                    }
                }
                Map<TopicPartition, Long> committed = new HashMap<>();
                try {
                    client.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .forEach((partition, offset) -> {
                                if (offset != null) {
                                    committed.put(partition, offset.offset());
                                }
                            });
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        unreadable.put(group, new GroupLag(group, "UNKNOWN", 0, 0, null, String.valueOf(e.getCause())));
                        continue;
                    }
                }
                Set<TopicPartition> uncommitted = new HashSet<>();
                ConsumerGroupDescription description = descriptions.get(group);
                if (description != null) {
                    for (MemberDescription member : description.members()) {
                        member.assignment().topicPartitions().stream().filter(p -> !committed.containsKey(p)).forEach(uncommitted::add);
                    }
                }
                committedByGroup.put(group, committed);
                uncommittedByGroup.put(group, uncommitted);
            }
            Set<TopicPartition> all = new HashSet<>();
            committedByGroup.values().forEach(m -> all.addAll(m.keySet()));
            Set<TopicPartition> fromStart = new HashSet<>();
            uncommittedByGroup.values().forEach(fromStart::addAll);
            all.addAll(fromStart);
            Map<TopicPartition, Long> ends = offsets(client, all, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = offsets(client, fromStart, OffsetSpec.earliest());
            for (String group : settings.consumerGroups()) {
                if (unreadable.containsKey(group)) {
                    groups.add(unreadable.get(group));
                    continue;
                }
                ConsumerGroupDescription description = descriptions.get(group);
                Map<TopicPartition, Long> committed = committedByGroup.get(group);
                Set<TopicPartition> uncommitted = uncommittedByGroup.get(group);
                long lag = 0;
                for (Map.Entry<TopicPartition, Long> entry : committed.entrySet()) {
                    lag += Math.max(0, ends.getOrDefault(entry.getKey(), entry.getValue()) - entry.getValue());
                }
                for (TopicPartition partition : uncommitted) {
                    lag += Math.max(0, ends.getOrDefault(partition, 0L) - starts.getOrDefault(partition, 0L));
                }
                int partitions = committed.size() + uncommitted.size();
                String state = description == null ? "NOT_FOUND" : description.groupState().toString();
                boolean known = partitions > 0 || (description != null && !description.members().isEmpty());
                String problem = known ? null : description == null ? "no such group yet" : "no offsets committed yet";
                groups.add(new GroupLag(group, state, description == null ? 0 : description.members().size(), partitions,
                        known ? lag : null, problem));
            }
            latest = new Reading(clock.instant(), List.copyOf(groups));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Could not read the consumer groups' lag: {}", e.toString());
            List<GroupLag> unknown = settings.consumerGroups().stream()
                    .map(group -> new GroupLag(group, "UNKNOWN", 0, 0, null, "the broker did not answer")).toList();
            latest = new Reading(clock.instant(), unknown);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin client, Set<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                client.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "dashboard-consumer-lag");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(2 * TIMEOUT_SECONDS));
        admin = Admin.create(config);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dashboard-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, settings.lagRefresh().toMillis(), TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(TIMEOUT_SECONDS));
            admin = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
