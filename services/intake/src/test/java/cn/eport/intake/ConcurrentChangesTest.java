package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.Decider;
import cn.eport.contracts.EventType;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.identifiers.BusinessRegistrationNumber;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two changes of one application sent at the same instant, over real HTTP to the running service,
 * on real PostgreSQL and Kafka, many times over: the status each change depends on is checked in
 * the transaction that makes the change, so the second one decides on what the first left. Of two
 * amendments one is a 409; an amendment never lands on a withdrawn application; once intake has
 * the card set a withdrawal is a 409 and publishes nothing.
 */
@SpringBootTest(classes = IntakeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=intake")
@ContextConfiguration(initializers = RealInfrastructure.class)
class ConcurrentChangesTest {

    private static final int ROUNDS = 12;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String owner = "enterprise-race-" + UUID.randomUUID();
    private final String token = DevTokens.applicant(owner);
    private ExecutorService clients;
    private KafkaProbe applicationsTopic;

    @BeforeEach
    void startClients() {
        clients = Executors.newFixedThreadPool(2);
        applicationsTopic = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.APPLICATIONS));
    }

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
        applicationsTopic.close();
    }

    @Test
    void ofTwoAmendmentsSentAtOnceOneMakesTheNextRevisionAndTheOtherIsA409() throws Exception {
        List<UUID> applications = rejectedApplications(ROUNDS);

        for (UUID application : applications) {
            List<Response> answers = atOnce(() -> amend(application), () -> amend(application));

            assertThat(answers).extracting(Response::status).as("answers to the two amendments of %s", application)
                    .containsExactlyInAnyOrder(200, 409);
            assertThat(answers).filteredOn(a -> a.status() == 409).singleElement()
                    .satisfies(ConcurrentChangesTest::isAProblemDetail);
            assertThat(status(application).get("revision").asInt()).isEqualTo(2);
            assertThat(timeline(application, "AMENDED")).extracting(e -> e.get("revision").asInt()).containsExactly(2);
        }
        List<KafkaProbe.Record> published = applicationsTopic.awaitUntil(
                seen -> applications.stream().allMatch(id -> !revisionsPublished(seen, id, EventType.APPLICATION_AMENDED).isEmpty()),
                PATIENCE);
        for (UUID application : applications) {
            assertThat(revisionsPublished(published, application, EventType.APPLICATION_AMENDED)).containsExactly(2);
        }
    }

    @Test
    void anAmendmentAndAWithdrawalSentAtOnceNeverAmendAWithdrawnApplication() throws Exception {
        List<UUID> applications = rejectedApplications(ROUNDS);

        for (UUID application : applications) {
            List<Response> answers = atOnce(() -> amend(application), () -> withdraw(application));
            Response amendment = answers.get(0);
            Response withdrawal = answers.get(1);

            // Either order is allowed: amended then withdrawn (at the new revision), or withdrawn and the amendment refused.
            assertThat(withdrawal.status()).as("the withdrawal of %s", application).isEqualTo(200);
            assertThat(amendment.status()).as("the amendment of %s", application).isIn(200, 409);
            JsonNode status = status(application);
            assertThat(status.get("status").asString()).isEqualTo("WITHDRAWN");
            int finalRevision = amendment.status() == 200 ? 2 : 1;
            assertThat(status.get("revision").asInt()).isEqualTo(finalRevision);
            assertThat(timeline(application, "WITHDRAWN")).extracting(e -> e.get("revision").asInt()).containsExactly(finalRevision);
            List<String> changes = timelineOf(application).stream().map(e -> e.get("what").asString())
                    .filter(what -> what.equals("AMENDED") || what.equals("WITHDRAWN")).toList();
            assertThat(changes).as("the changes of %s in the order they happened", application)
                    .isEqualTo(amendment.status() == 200 ? List.of("AMENDED", "WITHDRAWN") : List.of("WITHDRAWN"));
            if (amendment.status() == 409) {
                isAProblemDetail(amendment);
            }
        }
        List<KafkaProbe.Record> published = applicationsTopic.awaitUntil(
                seen -> applications.stream().allMatch(id -> !revisionsPublished(seen, id, EventType.APPLICATION_WITHDRAWN).isEmpty()),
                PATIENCE);
        for (UUID application : applications) {
            int finalRevision = status(application).get("revision").asInt();
            assertThat(revisionsPublished(published, application, EventType.APPLICATION_WITHDRAWN))
                    .as("the withdrawal of %s names the revision it withdrew", application).containsExactly(finalRevision);
        }
    }

    @Test
    void aWithdrawalOnceTheCardsAreIssuedIsA409AndPublishesNoWithdrawal() throws Exception {
        List<Submitted> carded = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            carded.add(submit());
        }
        for (Submitted application : carded) {
            publish(cardsIssued(application));
        }
        awaitStatus(carded.stream().map(Submitted::id).toList(), "CARDS_ISSUED");

        for (Submitted application : carded) {
            List<Response> answers = atOnce(() -> withdraw(application.id()), () -> withdraw(application.id()));

            assertThat(answers).extracting(Response::status).as("the withdrawals of %s", application.id()).containsExactly(409, 409);
            answers.forEach(ConcurrentChangesTest::isAProblemDetail);
            assertThat(status(application.id()).get("status").asString()).isEqualTo("CARDS_ISSUED");
            assertThat(timeline(application.id(), "WITHDRAWN")).isEmpty();
        }
        // The outbox relays in order: once a later withdrawal is on the topic, any earlier one would be there too.
        UUID control = submit().id();
        assertThat(withdraw(control).status()).isEqualTo(200);
        List<KafkaProbe.Record> published = applicationsTopic.awaitUntil(
                seen -> !revisionsPublished(seen, control, EventType.APPLICATION_WITHDRAWN).isEmpty(), PATIENCE);
        for (Submitted application : carded) {
            assertThat(revisionsPublished(published, application.id(), EventType.APPLICATION_WITHDRAWN))
                    .as("withdrawals published of %s", application.id()).isEmpty();
        }
    }

    // --- the application's life, as the applicant and the other services make it ------------------------------

    private record Submitted(UUID id, String slipNumber) {
    }

    private record Response(int status, String contentType, JsonNode body) {
    }

    private Submitted submit() throws IOException, InterruptedException {
        Response created = send("POST", "/api/applications", SampleForm.valid().json());
        assertThat(created.status()).as("submission: %s", created.body()).isEqualTo(201);
        return new Submitted(UUID.fromString(created.body().get("applicationId").asString()), created.body().get("slipNumber").asString());
    }

    /** Submitted, and rejected by the tax agency on its topic, as intake has recorded it. */
    private List<UUID> rejectedApplications(int count) throws Exception {
        List<UUID> applications = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID application = submit().id();
            applications.add(application);
            publish(taxRejection(application));
        }
        awaitStatus(applications, "REJECTED");
        return applications;
    }

    private Response amend(UUID application) throws IOException, InterruptedException {
        return send("PUT", "/api/applications/" + application, SampleForm.valid().json());
    }

    private Response withdraw(UUID application) throws IOException, InterruptedException {
        return send("POST", "/api/applications/" + application + "/withdrawal", null);
    }

    private JsonNode status(UUID application) throws IOException, InterruptedException {
        return send("GET", "/api/applications/" + application, null).body();
    }

    private List<JsonNode> timelineOf(UUID application) throws IOException, InterruptedException {
        List<JsonNode> entries = new ArrayList<>();
        send("GET", "/api/applications/" + application + "/timeline", null).body().forEach(entries::add);
        return entries;
    }

    private List<JsonNode> timeline(UUID application, String what) throws IOException, InterruptedException {
        return timelineOf(application).stream().filter(e -> e.get("what").asString().equals(what)).toList();
    }

    private void awaitStatus(List<UUID> applications, String expected) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        for (UUID application : applications) {
            while (!status(application).get("status").asString().equals(expected)) {
                assertThat(Instant.now()).as("%s still not %s", application, expected).isBefore(deadline);
                Thread.sleep(100);
            }
        }
    }

    /** Both calls released at the same instant, each on its own thread; their answers in the order given. */
    private List<Response> atOnce(Callable<Response> first, Callable<Response> second) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (Callable<Response> call : List.of(first, second)) {
            answers.add(clients.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<Response> responses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            responses.add(answer.get());
        }
        return responses;
    }

    private Response send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body()));
    }

    private static void isAProblemDetail(Response response) {
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("status").asInt()).isEqualTo(409);
    }

    private void publish(ApplicationEvent event) {
        String key = event.applicationId().toString();
        byte[] value = json.writeValueAsBytes(event);
        applicationsTopic.send(Topics.of(event), key, DevKeys.signedAsTopicWriter(Topics.of(event), key,
                CloudEventHeaders.of(event, UUID.randomUUID().toString(), "/eport/test", Instant.now()), value), value);
    }

    private List<Integer> revisionsPublished(List<KafkaProbe.Record> records, UUID application, EventType type) {
        return records.stream()
                .filter(r -> application.toString().equals(r.key()) && type.ceType().equals(r.header(CloudEventHeaders.TYPE)))
                .map(r -> json.readTree(r.value()).get("revision").asInt())
                .toList();
    }

    private static VerdictIssued taxRejection(UUID application) {
        VerdictSignatures taxKey = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(Agency.TAX.id()), Map.of()));
        return taxKey.sign(new VerdictIssued(application, 1, Agency.TAX, Outcome.REJECTED,
                List.of(new Reason("TAX_REGISTRATION_NUMBER_UNKNOWN", "税务登记号不存在", "no such tax registration")),
                new Decider(Decider.Kind.RULES, "tax-rules/1"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
    }

    private static CardsIssued cardsIssued(Submitted application) {
        return new CardsIssued(application.id(), 1, application.slipNumber(),
                new IssuedCard(cardNumber("LP", 1), "林晓明", "110***********002X"),
                List.of(new IssuedCard(cardNumber("OP", 2), "陈静", "350***********0021"),
                        new IssuedCard(cardNumber("OP", 3), "王磊", "350***********0150")),
                3, 1, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static String cardNumber(String kind, long sequence) {
        String digits = String.format("%010d", sequence);
        return kind + digits + BusinessRegistrationNumber.checkDigit(digits);
    }
}
