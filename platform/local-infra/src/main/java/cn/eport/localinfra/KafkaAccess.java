package cn.eport.localinfra;

import cn.eport.contracts.Agency;
import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the joint review's broker. Each service is its own principal and writes only
 * the topic it owns, its own dead-letter topic and its own log of personal-data reads; it reads what it consumes, in its own consumer
 * groups, and no more. Integrators read the verdicts, the agencies' deadline escalations and the cards. Only {@value #ADMIN}, the super
 * user, creates topics and grants rights. The broker denies whatever no rule here allows.
 */
public final class KafkaAccess {

    /** The broker's super user: creates topics, principals and their rights; tests and tools act as it. */
    public static final String ADMIN = "admin";
    /** The read-only principal of integrators: the verdict and deadlines topics and the cards, in groups named integrator.*. */
    public static final String INTEGRATOR = "integrator";
    /** Consumer groups an integrator may use start with this. */
    public static final String INTEGRATOR_GROUP_PREFIX = "integrator.";

    private static final String DEAD_LETTERS = Topics.deadLetters("");

    /**
     * One principal's rights.
     *
     * @param name                 the SCRAM user, which is the service's name
     * @param writes               topics it may write
     * @param reads                topics it may read
     * @param readPrefixes         prefixes of further topics it may read: every service's dead letters, or reads
     * @param groups               consumer groups it may join
     * @param groupPrefix          a prefix of further groups it may join, or empty
     * @param describesAllGroups   whether it may see every group's members and offsets (consumer lag)
     */
    public record Principal(String name, List<String> writes, List<String> reads, List<String> readPrefixes,
            List<String> groups, String groupPrefix, boolean describesAllGroups) {
    }

    private KafkaAccess() {
    }

    private static final List<Principal> PRINCIPALS = define();

    /** Every principal of the joint review but the super user. */
    public static List<Principal> principals() {
        return PRINCIPALS;
    }

    private static List<Principal> define() {
        List<String> verdicts = new ArrayList<>();
        List<String> deadlines = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            verdicts.add(Topics.verdicts(agency));
            deadlines.add(Topics.deadlines(agency));
        }
        List<Principal> principals = new ArrayList<>();
        principals.add(new Principal("intake", own("intake", Topics.APPLICATIONS),
                concat(verdicts, Topics.TELECOM, Topics.CARDS), List.of(DEAD_LETTERS, Topics.readsPrefix()),
                List.of("intake", "intake-dead-letters", "intake-personal-data-reads"), "", false));
        for (Agency agency : Agency.values()) {
            String service = agency.id() + "-check";
            principals.add(new Principal(service, own(service, Topics.verdicts(agency), Topics.deadlines(agency)),
                    List.of(Topics.APPLICATIONS), List.of(), List.of(service), "", false));
        }
        principals.add(new Principal("telecom", own("telecom", Topics.TELECOM),
                List.of(Topics.APPLICATIONS), List.of(), List.of("telecom"), "", false));
        principals.add(new Principal("card-issuance", own("card-issuance", Topics.CARDS),
                concat(List.of(Topics.APPLICATIONS, Topics.TELECOM), verdicts.toArray(String[]::new)), List.of(),
                List.of("card-issuance"), "", false));
        principals.add(new Principal("dashboard", own("dashboard"),
                concat(concat(List.of(Topics.APPLICATIONS), verdicts.toArray(String[]::new)), Topics.TELECOM, Topics.CARDS),
                List.of(DEAD_LETTERS, Topics.sealsPrefix(), Topics.deadlinesPrefix()),
                List.of("dashboard", "dashboard-dead-letters", "dashboard-seals"), "", true));
        principals.add(new Principal(INTEGRATOR, List.of(), concat(concat(verdicts, deadlines.toArray(String[]::new)), Topics.CARDS),
                List.of(), List.of(),
                INTEGRATOR_GROUP_PREFIX, false));
        return List.copyOf(principals);
    }

    /** The services of the joint review: every principal but the integrator's. */
    public static List<String> services() {
        return principals().stream().map(Principal::name).filter(name -> !name.equals(INTEGRATOR)).toList();
    }

    /**
     * The services' own topics besides the published ones, which exist before any service starts as
     * those do: each one's dead letters, its log of personal-data reads and its decision log's seals.
     */
    public static List<String> serviceTopics() {
        List<String> topics = new ArrayList<>();
        for (String service : services()) {
            topics.add(Topics.deadLetters(service));
            topics.add(Topics.reads(service));
            if (DecisionLog.SERVICES.contains(service)) {
                topics.add(Topics.seals(service));
            }
        }
        return topics;
    }

    /** The broker's access rules for {@link #principals()}. */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        for (Principal principal : principals()) {
            for (String topic : principal.writes()) {
                acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            }
            for (String topic : principal.reads()) {
                acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            }
            for (String prefix : principal.readPrefixes()) {
                acls.add(allow(principal, ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.READ));
            }
            for (String group : principal.groups()) {
                acls.add(allow(principal, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
            }
            if (!principal.groupPrefix().isEmpty()) {
                acls.add(allow(principal, ResourceType.GROUP, principal.groupPrefix(), PatternType.PREFIXED, AclOperation.READ));
            }
            if (principal.describesAllGroups()) {
                acls.add(allow(principal, ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL,
                        AclOperation.DESCRIBE));
            }
        }
        return acls;
    }

    /**
     * Gives every principal, and the super user itself, its SCRAM password, and every principal its
     * rights, as the super user. Idempotent: a broker that
     * keeps its data gets the same upserts on every start, and rights no longer named stay until an
     * operator removes them.
     */
    public static void apply(Admin admin, KafkaCredentials credentials) {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(ADMIN));
        principals().forEach(principal -> names.add(principal.name()));
        for (String name : names) {
            users.add(new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                    credentials.password(name)));
        }
        try {
            admin.alterUserScramCredentials(users).all().get();
            admin.createAcls(acls()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while granting the principals their rights", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not give the broker's principals their passwords and rights", e.getCause());
        }
    }

    private static AclBinding allow(Principal principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + principal.name(), "*", operation, AclPermissionType.ALLOW));
    }

    /**
     * What a service writes: {@code topics}, its dead letters, its reads of personal data and, for a
     * deciding service, the seals of its decision log.
     */
    private static List<String> own(String service, String... topics) {
        List<String> owned = concat(List.of(topics), Topics.deadLetters(service), Topics.reads(service));
        return DecisionLog.SERVICES.contains(service) ? concat(owned, Topics.seals(service)) : owned;
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
