package cn.eport.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
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
    private volatile @Nullable Admin admin;

    ConsumerLag(KafkaAdmin kafkaAdmin, DashboardSettings settings, Clock clock) {
        this.kafkaAdmin = kafkaAdmin;
        this.settings = settings;
        this.clock = clock;
    }

    Reading latest() {
        return latest;
    }

    /**
     * What the broker says of one group.
     *
     * @param description null when the group does not exist yet
     * @param uncommitted partitions its members hold and have never committed on: their lag counts from the log's start
     */
    private record Observed(@Nullable ConsumerGroupDescription description, Map<TopicPartition, Long> committed,
            Set<TopicPartition> uncommitted) {
    }

    /**
     * Reads every group's lag now, in one request for the groups, one for their offsets and two for the logs' ends;
     * at start and every lag refresh after, on the service's scheduler (each request may take its timeout, and the
     * scheduler's second thread keeps the live page's push going meanwhile).
     */
    @Scheduled(initialDelay = 0, fixedDelayString = "${eport.dashboard.lag-refresh:5s}")
    void refresh() {
        Admin client = admin;
        if (client == null) {
            return;
        }
        List<String> wanted = settings.consumerGroups();
        try {
            Map<String, KafkaFuture<ConsumerGroupDescription>> described = client.describeConsumerGroups(wanted).describedGroups();
            Map<String, ListConsumerGroupOffsetsSpec> everything = new LinkedHashMap<>();
            wanted.forEach(group -> everything.put(group, new ListConsumerGroupOffsetsSpec()));
            ListConsumerGroupOffsetsResult listed = client.listConsumerGroupOffsets(everything);
            Map<String, Observed> observed = new HashMap<>();
            Map<String, String> unreadable = new HashMap<>();
            for (String group : wanted) {
                try {
                    observed.put(group, observe(described.get(group), listed.partitionsToOffsetAndMetadata(group)));
                } catch (ExecutionException e) {
                    unreadable.put(group, String.valueOf(e.getCause()));
                }
            }
            Set<TopicPartition> fromStart = new HashSet<>();
            Set<TopicPartition> all = new HashSet<>();
            observed.values().forEach(group -> {
                fromStart.addAll(group.uncommitted());
                all.addAll(group.committed().keySet());
            });
            all.addAll(fromStart);
            Map<TopicPartition, Long> ends = offsets(client, all, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = offsets(client, fromStart, OffsetSpec.earliest());
            List<GroupLag> groups = wanted.stream()
                    .map(group -> unreadable.containsKey(group)
                            ? new GroupLag(group, "UNKNOWN", 0, 0, null, unreadable.get(group))
                            : lagOf(group, observed.get(group), ends, starts))
                    .toList();
            latest = new Reading(clock.instant(), groups);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (admin == null) {
                return; // stopping: the client was closed under this reading
            }
            log.warn("Could not read the consumer groups' lag: {}", e.toString());
            List<GroupLag> unknown = wanted.stream()
                    .map(group -> new GroupLag(group, "UNKNOWN", 0, 0, null, "the broker did not answer")).toList();
            latest = new Reading(clock.instant(), unknown);
        }
    }

    private static Observed observe(KafkaFuture<ConsumerGroupDescription> described,
            KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> listed)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription description = unlessNoSuchGroup(described);
        Map<TopicPartition, OffsetAndMetadata> offsets = unlessNoSuchGroup(listed);
        Map<TopicPartition, Long> committed = new HashMap<>();
        if (offsets != null) {
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
        }
        Set<TopicPartition> uncommitted = new HashSet<>();
        if (description != null) {
            for (MemberDescription member : description.members()) {
                member.assignment().topicPartitions().stream().filter(p -> !committed.containsKey(p)).forEach(uncommitted::add);
            }
        }
        return new Observed(description, committed, uncommitted);
    }

    /** The answer, or null when the group does not exist (yet); any other failure is thrown. */
    private static <T> @Nullable T unlessNoSuchGroup(KafkaFuture<T> answer)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private static GroupLag lagOf(String group, Observed observed, Map<TopicPartition, Long> ends, Map<TopicPartition, Long> starts) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> entry : observed.committed().entrySet()) {
            lag += Math.max(0, ends.getOrDefault(entry.getKey(), entry.getValue()) - entry.getValue());
        }
        for (TopicPartition partition : observed.uncommitted()) {
            lag += Math.max(0, ends.getOrDefault(partition, 0L) - starts.getOrDefault(partition, 0L));
        }
        ConsumerGroupDescription description = observed.description();
        int partitions = observed.committed().size() + observed.uncommitted().size();
        int members = description == null ? 0 : description.members().size();
        String state = description == null ? "NOT_FOUND" : description.groupState().toString();
        boolean known = partitions > 0 || members > 0;
        String problem = known ? null : description == null ? "no such group yet" : "no offsets committed yet";
        return new GroupLag(group, state, members, partitions, known ? lag : null, problem);
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
    }

    @Override
    public void stop() {
        Admin client = admin;
        if (client != null) {
            admin = null;
            client.close(Duration.ofSeconds(TIMEOUT_SECONDS));
        }
    }

    @Override
    public boolean isRunning() {
        return admin != null;
    }
}
