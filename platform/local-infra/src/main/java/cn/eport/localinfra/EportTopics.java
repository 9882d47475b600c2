package cn.eport.localinfra;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the published topics of the joint review, the ones that exist before any service starts. */
public final class EportTopics {

    private EportTopics() {
    }

    public static List<String> published() {
        List<String> topics = new ArrayList<>(List.of(Topics.APPLICATIONS, Topics.TELECOM, Topics.CARDS));
        for (Agency agency : Agency.values()) {
            topics.add(Topics.verdicts(agency));
            topics.add(Topics.deadlines(agency));
        }
        return topics;
    }

    /**
     * Creates those of {@link #published()} and of the services' own topics that do not exist
     * yet, through {@code admin}, which needs the right to: services may not create topics.
     */
    public static void create(Admin admin, int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<String> wanted = new ArrayList<>(published());
            wanted.addAll(KafkaAccess.serviceTopics());
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create the joint review's topics", e.getCause());
        }
    }
}
