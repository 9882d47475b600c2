package cn.eport.sandbox;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.localinfra.LocalKafka;
import cn.eport.localinfra.LocalPostgres;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.sandbox.registries.RegistrySimulator;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many applications a second the joint review moves on this machine, with a real broker and
 * database and the registry simulator, all in this JVM. Stages:
 * <ul>
 * <li>{@code system}: every service; applications of clean sample enterprises go on eport.applications
 * as intake's relay would publish them, with their telecom registrations on eport.telecom, counted when
 * their card set is on eport.cards;</li>
 * <li>{@code agencies}: the six agency checks alone, counted by verdicts on their six topics
 * (registry round, rules, signature, outbox, relay);</li>
 * <li>{@code cards}: card issuance alone, fed the applications, telecom registrations and six signed approvals each,
 * counted by card sets (read, schema, six signature checks, aggregation, card set).</li>
 * </ul>
 * Progress is printed every two seconds. An optional third argument runs that many applications first,
 * unmeasured, so the measured round runs on compiled code (with the JVM's default JIT rather than C1).
 *
 * <pre>java -XX:TieredStopAtLevel=1 -Dloader.main=cn.eport.sandbox.Benchmark \
 *   -cp platform/sandbox/target/sandbox-0.1.0-SNAPSHOT-exec.jar \
 *   org.springframework.boot.loader.launch.PropertiesLauncher 10000 system
 * java -Dloader.main=cn.eport.sandbox.Benchmark -cp platform/sandbox/target/sandbox-0.1.0-SNAPSHOT-exec.jar \
 *   org.springframework.boot.loader.launch.PropertiesLauncher 10000 system 10000</pre>
 */
public final class Benchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Each agency's development signing key, read once: the cards stage signs six approvals per application. */
    private static final Map<Agency, VerdictSignatures> AGENCY_KEYS = Arrays.stream(Agency.values()).collect(Collectors.toMap(
            agency -> agency, agency -> VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(agency.id()), Map.of())),
            (a, b) -> a, () -> new EnumMap<>(Agency.class)));

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String stage = args.length > 1 ? args[1] : "system";
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<EportSystem.Service> services = switch (stage) {
            case "system" -> EportSystem.SERVICES;
            case "agencies" -> EportSystem.SERVICES.stream().filter(s -> s.name().endsWith("-check")).toList();
            case "cards" -> EportSystem.SERVICES.stream().filter(s -> s.name().equals("card-issuance")).toList();
            default -> throw new IllegalArgumentException("stage is system, agencies or cards, not " + stage);
        };
        List<String> watched = switch (stage) {
            case "agencies" -> Arrays.stream(Agency.values()).map(Topics::verdicts).toList();
            default -> List.of(Topics.CARDS);
        };
        int resultsPerApplication = stage.equals("agencies") ? Agency.values().length : 1;
        List<ProducerRecord<String, byte[]>> warmUpInput = input(stage, warmUp);
        List<ProducerRecord<String, byte[]>> measuredInput = input(stage, count);
        // Stopped by a shutdown hook, so that Ctrl-C or a kill in the middle of a run leaves no PostgreSQL behind.
        Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Benchmark::closeQuietly), "benchmark-stop"));
        RegistrySimulator registries = RegistrySimulator.start(0, SampleData.enterprises(), LocalDate.now());
        started.push(registries);
        LocalPostgres postgres = LocalPostgres.start();
        started.push(postgres);
        LocalKafka kafka = LocalKafka.start();
        started.push(kafka);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", postgres.jdbcUrl());
        properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        properties.put("server.port", "0");
        started.push(EportSystem.start(EportSystem.withDatabaseRoles(EportSystem.withKafkaPrincipals(
                EportSystem.withRegistries(EportSystem.withDevelopmentKeys(properties), registries), kafka.credentials()),
                postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD), services));
        try (KafkaProducer<String, byte[]> producer = producer(kafka.adminProperties());
             KafkaConsumer<String, byte[]> results = consumer(kafka.adminProperties(), watched)) {
            results.poll(Duration.ofSeconds(2));
            if (warmUp > 0) {
                round("warm-up " + stage, warmUpInput, warmUp, warmUp * resultsPerApplication, watched, producer, results);
            }
            round(stage, measuredInput, count, count * resultsPerApplication, watched, producer, results);
        }
        System.exit(0);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("Could not stop " + resource + ": " + e);
        }
    }

    /** The records of {@code count} applications of clean sample enterprises, as the stage's services expect them. */
    private static List<ProducerRecord<String, byte[]>> input(String stage, int count) {
        List<SampleEnterprise> clean = SampleData.enterprises().stream()
                .filter(e -> e.fate() == SampleEnterprise.Fate.CLEAN).toList();
        List<ProducerRecord<String, byte[]>> input = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ApplicationSubmitted application = application(clean.get(i % clean.size()));
            input.add(record(application));
            if (!stage.equals("agencies")) {
                input.add(record(telecomRegistration(application, i)));
            }
            if (stage.equals("cards")) {
                for (Agency agency : Agency.values()) {
                    input.add(record(approval(application, agency)));
                }
            }
        }
        return input;
    }

    /** Publishes the input and waits for every result, printing progress every two seconds and the rate at the end. */
    private static void round(String name, List<ProducerRecord<String, byte[]>> input, int applications, int expected,
            List<String> watched, KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> results) {
        System.out.printf("%nStage %s: publishing %d records for %d applications, expecting %d results on %s%n",
                name, input.size(), applications, expected, watched);
        Instant start = Instant.now();
        input.forEach(producer::send);
        producer.flush();
        System.out.printf("Published in %d ms%n", Duration.between(start, Instant.now()).toMillis());
        Set<String> seen = new HashSet<>();
        Instant lastReport = Instant.now();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
        while (seen.size() < expected && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : results.poll(Duration.ofMillis(200))) {
                seen.add(record.topic() + "/" + record.key());
            }
            if (Duration.between(lastReport, Instant.now()).toSeconds() >= 2) {
                lastReport = Instant.now();
                System.out.printf("  %7d / %d after %5.1f s%n", seen.size(), expected,
                        Duration.between(start, Instant.now()).toMillis() / 1000.0);
            }
        }
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        System.out.printf("%nStage %s: %d of %d results in %.1f s: %.0f applications/s%n%n", name, seen.size(),
                expected, seconds, seen.size() * ((double) applications / expected) / seconds);
    }

    private static ProducerRecord<String, byte[]> record(ApplicationEvent event) {
        String key = event.applicationId().toString();
        byte[] value = JSON.writeValueAsBytes(event);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.of(event), key, value);
        // It stands in for intake (and telecom): their records count only with their signature.
        DevKeys.signedAsTopicWriter(Topics.of(event), key,
                        CloudEventHeaders.of(event, UUID.randomUUID().toString(), "/eport/benchmark", Instant.now()), value)
                .forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private static VerdictIssued approval(ApplicationSubmitted application, Agency agency) {
        return AGENCY_KEYS.get(agency).sign(new VerdictIssued(application.applicationId(), application.revision(), agency, Outcome.APPROVED,
                List.of(), new Decider(Decider.Kind.RULES, agency.id() + "-rules/2"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
    }

    /** What the telecom counter publishes once the enterprise holds its 17999 card: the last condition for cards. */
    private static TelecomRegistered telecomRegistration(ApplicationSubmitted application, int sequence) {
        return new TelecomRegistered(application.applicationId(), application.slipNumber(),
                OrganisationCode.compact(application.enterprise().organisationCode()), "17999%06d".formatted(sequence % 1_000_000),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "benchmark-telecom");
    }

    private static ApplicationSubmitted application(SampleEnterprise e) {
        return new ApplicationSubmitted(UUID.randomUUID(), 1, "YY2026000000011", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Channel.ONLINE, "benchmark",
                new Enterprise(e.name(), e.type(), e.uscc(), e.organisationCode(), e.businessRegistrationNumber(),
                        e.taxRegistrationNumber(), e.customsRegistrationCode(), e.tradeCertificateNumber(), e.address(),
                        e.legalRepresentative().name(), "0591-87654321"),
                new CardHolder(e.legalRepresentative().name(), ResidentIdNumber.masked(e.legalRepresentative().idNumber()), null),
                e.operators().stream().map(o -> new CardHolder(o.name(), ResidentIdNumber.masked(o.idNumber()), o.brokerCertificate()))
                        .toList());
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> client, List<String> topics) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(topics);
        return consumer;
    }
}
