package cn.eport.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker's own word on who may do what: each principal connects with its password and tries
 * every topic of the joint review, and the broker, not our code, allows or refuses.
 */
class KafkaAccessTest {

    private static LocalKafka kafka;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void theBrokerRefusesTheTaxPrincipalsWriteToTheCustomsVerdicts() {
        try (KafkaProducer<String, String> tax = producer("tax-check")) {
            assertThatThrownBy(() -> send(tax, Topics.verdicts(Agency.CUSTOMS)))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(sendOutcome(tax, Topics.verdicts(Agency.TAX))).isEqualTo("written");
        }
    }

    @Test
    void theIntegratorWritesNothingAndReadsOnlyVerdictsAndCards() {
        try (KafkaProducer<String, String> integrator = producer(KafkaAccess.INTEGRATOR)) {
            // With no write right anywhere, it may not even start an idempotent producer (a cluster
            // authorization), and whatever it sends after that is refused as well.
            for (String topic : allTopics()) {
                assertThatThrownBy(() -> send(integrator, topic)).as(topic).hasCauseInstanceOf(AuthorizationException.class);
            }
        }
        assertThat(firstPoll(KafkaAccess.INTEGRATOR, KafkaAccess.INTEGRATOR_GROUP_PREFIX + "erp", Topics.CARDS)).isEqualTo("read");
        assertThat(firstPoll(KafkaAccess.INTEGRATOR, KafkaAccess.INTEGRATOR_GROUP_PREFIX + "erp", Topics.APPLICATIONS))
                .isEqualTo("refused: TopicAuthorizationException");
        assertThat(firstPoll(KafkaAccess.INTEGRATOR, "card-issuance", Topics.CARDS)).isEqualTo("refused: GroupAuthorizationException");
    }

    /** Every principal against every topic: written exactly where its rules say, refused everywhere else. */
    @Test
    void eachPrincipalWritesOnlyItsOwnTopics() {
        Map<String, List<String>> written = new HashMap<>();
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            try (KafkaProducer<String, String> producer = producer(principal.name())) {
                List<String> allowed = new ArrayList<>();
                for (String topic : allTopics()) {
                    if (sendOutcome(producer, topic).equals("written")) {
                        allowed.add(topic);
                    }
                }
                written.put(principal.name(), allowed);
            }
        }
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            assertThat(written.get(principal.name())).as(principal.name()).containsExactlyInAnyOrderElementsOf(principal.writes());
        }
        assertThat(written.get("intake")).containsExactlyInAnyOrder(Topics.APPLICATIONS, Topics.deadLetters("intake"),
                Topics.reads("intake"), Topics.seals("intake"));
        assertThat(written.get("telecom")).containsExactlyInAnyOrder(Topics.TELECOM, Topics.deadLetters("telecom"),
                Topics.reads("telecom"), Topics.seals("telecom"));
        assertThat(written.get("card-issuance")).containsExactlyInAnyOrder(Topics.CARDS, Topics.deadLetters("card-issuance"),
                Topics.reads("card-issuance"), Topics.seals("card-issuance"));
        assertThat(written.get("tax-check")).containsExactlyInAnyOrder(Topics.verdicts(Agency.TAX), Topics.deadlines(Agency.TAX),
                Topics.deadLetters("tax-check"), Topics.reads("tax-check"), Topics.seals("tax-check"));
    }

    @Test
    void aServiceReadsOnlyWhatItConsumesInItsOwnGroup() {
        assertThat(firstPoll("tax-check", "tax-check", Topics.APPLICATIONS)).isEqualTo("read");
        assertThat(firstPoll("tax-check", "tax-check", Topics.CARDS)).isEqualTo("refused: TopicAuthorizationException");
        assertThat(firstPoll("tax-check", "customs-check", Topics.APPLICATIONS)).isEqualTo("refused: GroupAuthorizationException");
        assertThat(firstPoll("dashboard", "dashboard-dead-letters", Topics.deadLetters("tax-check"))).isEqualTo("read");
        assertThat(firstPoll("telecom", "telecom", Topics.deadLetters("tax-check"))).isEqualTo("refused: TopicAuthorizationException");
        // Who read whose personal data is intake's to keep, and nobody else's to read.
        assertThat(firstPoll("intake", "intake", Topics.reads("tax-check"))).isEqualTo("read");
        assertThat(firstPoll("dashboard", "dashboard", Topics.reads("tax-check"))).isEqualTo("refused: TopicAuthorizationException");
        assertThat(firstPoll(KafkaAccess.INTEGRATOR, KafkaAccess.INTEGRATOR_GROUP_PREFIX + "erp", Topics.reads("intake")))
                .isEqualTo("refused: TopicAuthorizationException");
        // Every service's decision log seals are the dashboard's to watch.
        assertThat(firstPoll("dashboard", "dashboard-seals", Topics.seals("tax-check"))).isEqualTo("read");
        assertThat(firstPoll("intake", "intake", Topics.seals("tax-check"))).isEqualTo("refused: TopicAuthorizationException");
        // An agency's deadline escalations: the dashboard and integrators follow them.
        assertThat(firstPoll("dashboard", "dashboard", Topics.deadlines(Agency.TAX))).isEqualTo("read");
        assertThat(firstPoll(KafkaAccess.INTEGRATOR, KafkaAccess.INTEGRATOR_GROUP_PREFIX + "erp", Topics.deadlines(Agency.TAX)))
                .isEqualTo("read");
    }

    @Test
    void noServiceCreatesTopicsAndAWrongPasswordOrNoneIsTurnedAway() throws Exception {
        try (Admin intake = Admin.create(client("intake", kafka.credentials().password("intake")))) {
            assertThatThrownBy(() -> intake.createTopics(List.of(new NewTopic("eport.made-up", 1, (short) 1))).all().get())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        Map<String, Object> wrong = client("intake", "not-the-password");
        try (Admin intake = Admin.create(wrong)) {
            assertThatThrownBy(() -> intake.listTopics().names().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        // PLAIN, for librdkafka before 2.6.1: the same passwords, the same rights.
        Map<String, Object> plain = client("integrator", kafka.credentials().password("integrator"));
        plain.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        plain.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaCredentials.jaas("org.apache.kafka.common.security.plain.PlainLoginModule",
                "integrator", kafka.credentials().password("integrator")));
        try (Admin integrator = Admin.create(plain)) {
            assertThat(integrator.listTopics().names().get(10, TimeUnit.SECONDS)).contains(Topics.CARDS).doesNotContain(Topics.APPLICATIONS);
        }
        plain.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaCredentials.jaas("org.apache.kafka.common.security.plain.PlainLoginModule",
                "integrator", "not-the-password"));
        try (Admin integrator = Admin.create(plain)) {
            assertThatThrownBy(() -> integrator.listTopics().names().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        Map<String, Object> anonymous = new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 1000));
        try (Admin plaintext = Admin.create(anonymous)) {
            // A client that speaks no SASL gets no answer at all: the broker closes the connection.
            assertThatThrownBy(() -> plaintext.listTopics().names().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    private static List<String> allTopics() {
        List<String> topics = new ArrayList<>(EportTopics.published());
        topics.addAll(KafkaAccess.serviceTopics());
        return topics;
    }

    private static Map<String, Object> client(String user, String password) {
        Map<String, Object> properties = new HashMap<>(KafkaCredentials.clientProperties(user, password));
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        return properties;
    }

    private static KafkaProducer<String, String> producer(String principal) {
        Map<String, Object> properties = kafka.clientProperties(principal);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // One producer probes every topic, most of them refused: an idempotent producer may take a refusal as fatal
        // (ClusterAuthorizationException), after which every later send fails with "error state" and proves nothing.
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        return new KafkaProducer<>(properties);
    }

    private static void send(KafkaProducer<String, String> producer, String topic) throws Exception {
        producer.send(new ProducerRecord<>(topic, "key", "access test")).get(10, TimeUnit.SECONDS);
    }

    private static String sendOutcome(KafkaProducer<String, String> producer, String topic) {
        try {
            send(producer, topic);
            return "written";
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                return "refused";
            }
            throw new AssertionError("neither written nor refused: " + topic, e);
        } catch (Exception e) {
            throw new AssertionError("neither written nor refused: " + topic, e);
        }
    }

    /** What the first polls of {@code principal} in {@code group} on {@code topic} come to. */
    private static String firstPoll(String principal, String group, String topic) {
        Map<String, Object> properties = kafka.clientProperties(principal);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(Duration.ofMillis(300)).isEmpty() || !consumer.assignment().isEmpty()) {
                    return "read";
                }
            }
            return "neither read nor refused";
        } catch (TopicAuthorizationException | GroupAuthorizationException e) {
            return "refused: " + e.getClass().getSimpleName();
        }
    }
}
