package cn.eport.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Topics;
import cn.eport.localinfra.EportTopics;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.sandbox.registries.RegistrySimulator;
import cn.eport.sandbox.registries.SampleData;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.LocalTimestampAuthority;
import cn.eport.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system, started once per test JVM and shared by the end-to-end scenarios like the
 * broker and database under it: every service in its own context, the registry simulator, and a
 * probe reading every topic as an outside client would. Helpers drive it the way its users do.
 */
final class RunningSystem {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    /** When the tax agency's next key becomes valid: the start of the system. */
    static final java.time.Instant STARTED_AT = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RegistrySimulator registries;
    private static LocalTimestampAuthority timestamps;
    private static Map<String, String> properties;
    private static EportSystem system;
    private static KafkaProbe probe;

    private RunningSystem() {
    }

    static synchronized EportSystem system() {
        if (system == null) {
            TestInfrastructure.Endpoints endpoints = TestInfrastructure.endpoints();
            registries = RegistrySimulator.start(0, SampleData.enterprises(), LocalDate.now());
            timestamps = LocalTimestampAuthority.start();
            Map<String, String> shared = new LinkedHashMap<>();
            shared.put("spring.datasource.url", endpoints.jdbcUrl());
            shared.put("spring.datasource.username", endpoints.username());
            shared.put("spring.datasource.password", endpoints.password());
            shared.put("spring.kafka.bootstrap-servers", endpoints.kafkaBootstrapServers());
            shared.put("server.port", "0");
            // Parked checks come back within seconds here, not minutes.
            shared.put("eport.agency-check.recheck-first-delay", "500ms");
            shared.put("eport.agency-check.recheck-max-delay", "2s");
            shared.put("eport.registry.circuit-breaker.open-for", "1s");
            // Every decision log sealed within seconds, each seal timestamped by a real RFC 3161 authority.
            shared.put("eport.decision-log.seal-interval", "2s");
            shared.put("eport.decision-log.tsa-url", timestamps.url());
            // The tax agency's key history, as every reader trusts it: its development key, and from this
            // start on the next key too, which KeyRotationEndToEndTest rotates a running tax-check to.
            shared.put("eport.signing.key-history.tax[0].key", DevKeys.publicKeyOf("tax"));
            shared.put("eport.signing.key-history.tax[0].valid-from", "2026-01-01T00:00:00Z");
            shared.put("eport.signing.key-history.tax[1].key", DevKeys.publicKeyOf("tax-rotated"));
            shared.put("eport.signing.key-history.tax[1].valid-from", STARTED_AT.toString());
            properties = EportSystem.withDatabaseRoles(EportSystem.withKafkaPrincipals(EportSystem.withRegistries(
                    EportSystem.withEvidenceSources(EportSystem.withDevelopmentKeys(shared)), registries), endpoints.kafkaCredentials()),
                    endpoints.jdbcUrl(), endpoints.username(), endpoints.password());
            system = EportSystem.start(properties);
            List<String> topics = new ArrayList<>(EportTopics.published());
            EportSystem.SERVICES.forEach(service -> topics.add(Topics.deadLetters(service.name())));
            probe = new KafkaProbe(endpoints.kafkaAdmin(), topics);
        }
        return system;
    }

    /**
     * Starts the system for a test class and stops it once every class of the JVM has run, before
     * the broker and database under it go: stopped later, at JVM exit, the services' consumers would
     * wait out their timeouts for a broker that is already gone.
     */
    static final class Extension implements BeforeAllCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            system();
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(RunningSystem.class,
                    key -> (AutoCloseable) RunningSystem::stop, AutoCloseable.class);
        }
    }

    private static synchronized void stop() {
        if (system != null) {
            probe.close();
            system.close();
            registries.close();
            timestamps.close();
            system = null;
        }
    }

    /** Starts more instances of {@code services}, configured as the running ones, in their consumer groups. */
    static EportSystem moreInstancesOf(List<EportSystem.Service> services) {
        return moreInstancesOf(services, Map.of());
    }

    /** As {@link #moreInstancesOf(List)}, with {@code overrides} ({@code <service>.<property>}) over the running ones' settings. */
    static EportSystem moreInstancesOf(List<EportSystem.Service> services, Map<String, String> overrides) {
        system();
        Map<String, String> configured = new LinkedHashMap<>(properties);
        // The running instances have the fixed ports intake fetches evidence from: the new ones take any free one.
        services.forEach(service -> configured.put(service.name() + ".server.port", "0"));
        configured.putAll(overrides);
        return EportSystem.start(configured, services);
    }

    static KafkaProbe probe() {
        system();
        return probe;
    }

    /** The time-stamping authority every service's seals are timestamped by. */
    static LocalTimestampAuthority timestamps() {
        system();
        return timestamps;
    }

    static RegistrySimulator registries() {
        system();
        return registries;
    }

    static URI url(String service, String path) {
        return URI.create("http://localhost:" + system().port(service) + path);
    }

    static HttpResponse<String> post(String service, String path, String token, Object body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(service, path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> put(String service, String path, String token, Object body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(service, path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String service, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(service, path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits at intake; returns the status intake answered with (201 asserted). */
    static JsonNode submit(String applicant, Map<String, Object> form) throws Exception {
        HttpResponse<String> response = post("intake", "/api/applications", DevTokens.applicant(applicant), form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    /**
     * The telecom clerk registers the enterprise with its 17999 card, as at the counter; asks again
     * while telecom has not yet read the application (404), as a clerk would a moment later.
     */
    static HttpResponse<String> registerAtTelecom(String slipNumber, String organisationCode, String networkCard) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            HttpResponse<String> response = post("telecom", "/api/registrations", DevTokens.telecom("telecom-clerk-01"),
                    Map.of("slipNumber", slipNumber, "enterpriseCode", organisationCode, "networkCardNumber", networkCard));
            if (response.statusCode() != 404 || Instant.now().isAfter(deadline)) {
                return response;
            }
            Thread.sleep(200);
        }
    }

    private static int nextCard = 100_000;

    static synchronized String newNetworkCard() {
        return "17999" + (nextCard++);
    }

    /** Polls intake until the application has {@code status}; returns the last answer. */
    static JsonNode awaitStatus(String token, String id, String status) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get("intake", "/api/applications/" + id, token);
            last = JSON.readTree(response.body());
            if (response.statusCode() == 200 && status.equals(last.get("status").asString())) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status never became " + status + "; last: " + last);
    }

    static List<KafkaProbe.Record> onTopic(List<KafkaProbe.Record> records, String topic, String key) {
        return records.stream().filter(r -> r.topic().equals(topic) && key.equals(r.key())).toList();
    }

    static List<KafkaProbe.Record> cardsFor(List<KafkaProbe.Record> records, String key) {
        return onTopic(records, Topics.CARDS, key);
    }

    /** Waits until each of the six agencies has published {@code count} verdicts on the application. */
    static List<KafkaProbe.Record> awaitVerdicts(String id, int count) {
        return probe().awaitUntil(seen -> Arrays.stream(Agency.values())
                .allMatch(agency -> verdicts(seen, agency, id).size() >= count), PATIENCE);
    }

    static JsonNode latestVerdict(List<KafkaProbe.Record> records, Agency agency, String id) {
        List<KafkaProbe.Record> verdicts = verdicts(records, agency, id);
        return JSON.readTree(verdicts.get(verdicts.size() - 1).value());
    }

    /** The agency's verdicts on the application: its topic also carries the withdrawals of approvals. */
    static List<KafkaProbe.Record> verdicts(List<KafkaProbe.Record> records, Agency agency, String id) {
        return onTopic(records, Topics.verdicts(agency), id).stream()
                .filter(r -> EventType.VERDICT_ISSUED.ceType().equals(r.header(CloudEventHeaders.TYPE))).toList();
    }

    /** The agency's withdrawals of its approvals of the application. */
    static List<KafkaProbe.Record> withdrawals(List<KafkaProbe.Record> records, Agency agency, String id) {
        return onTopic(records, Topics.verdicts(agency), id).stream()
                .filter(r -> EventType.APPROVAL_WITHDRAWN.ceType().equals(r.header(CloudEventHeaders.TYPE))).toList();
    }
}
