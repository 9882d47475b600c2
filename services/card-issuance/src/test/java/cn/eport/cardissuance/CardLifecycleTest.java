package cn.eport.cardissuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationAmended;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.EventConsumer;
import cn.eport.messaging.IncomingRecord;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The card set's life, end to end against real PostgreSQL and Kafka: the events arrive through the consumer's
 * reader (schema, signatures), the changes are asked for over HTTP with real tokens, and what card issuance
 * publishes is read back from eport.cards.
 */
@SpringBootTest(classes = CardIssuanceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=card-issuance", "eport.cards.clock-interval=1h"})
@ContextConfiguration(initializers = RealInfrastructure.class)
class CardLifecycleTest {

    private static final AtomicLong OFFSETS = new AtomicLong(1_000_000);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    @LocalServerPort
    int port;
    @Autowired
    EventConsumer consumer;
    @Autowired
    CardIssuance issuance;
    @Autowired
    CardLifecycle lifecycle;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String enterprise = "enterprise-" + UUID.randomUUID();
    private final String owner = DevTokens.applicant(enterprise);
    private final String clerk = DevTokens.clerk("customs-clerk-01");
    private KafkaProbe cards;

    @BeforeEach
    void watchCards() {
        cards = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.CARDS));
    }

    @AfterEach
    void stopWatching() {
        cards.close();
    }

    @Test
    void anOperatorIsAddedOnTheAmendmentsApprovalAndRemovedAtOnce() throws Exception {
        UUID application = issued();
        CardHolder added = new CardHolder("王磊", "350***********0022", "BG35010002");

        deliver(amended(application, 2, List.of(OPERATOR, added)));
        for (Agency agency : Agency.values()) {
            if (agency != Agency.CUSTOMS) {
                deliver(verdict(application, 2, agency, Outcome.APPROVED));
            }
        }
        assertThat(cardsOf(application)).hasSize(2);
        deliver(verdict(application, 2, Agency.CUSTOMS, Outcome.APPROVED));

        JsonNode set = get(application, owner).body();
        assertThat(set.get("cards")).hasSize(3);
        String operatorCard = cardOf(set, "王磊");
        assertThat(set.get("restsOnRevision").asInt()).isEqualTo(2);
        assertThat(awaitEvent(application, EventType.OPERATOR_CARD_ADDED).get("card").get("cardNumber").asString()).isEqualTo(operatorCard);

        Response removed = call("DELETE", "/api/card-sets/" + application + "/operators/" + operatorCard, owner);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(removed.body().get("usable").asBoolean()).isFalse();
        assertThat(awaitEvent(application, EventType.OPERATOR_CARD_REMOVED).get("by").asString()).isEqualTo("enterprise:" + enterprise);
        assertThat(call("DELETE", "/api/card-sets/" + application + "/operators/" + operatorCard, owner).status()).isEqualTo(409);
        assertThat(call("DELETE", "/api/card-sets/" + application + "/operators/" + cardOf(set, "林晓明"), owner).status())
                .as("the legal-person card is not an operator's").isEqualTo(409);
    }

    @Test
    void aLostCardIsSuspendedAtOnceAndItsReplacementHasANewNumberWhileTheOldOneIsRefusedForGood() throws Exception {
        UUID application = issued();
        String lost = cardOf(get(application, owner).body(), "陈静");

        Response suspended = call("POST", "/api/card-sets/" + application + "/cards/" + lost + "/loss", owner);
        assertThat(suspended.status()).isEqualTo(200);
        assertThat(suspended.body().get("state").asString()).isEqualTo("SUSPENDED");
        assertThat(suspended.body().get("usable").asBoolean()).isFalse();
        assertThat(awaitEvent(application, EventType.CARDS_SUSPENDED).get("reason").get("code").asString()).isEqualTo("CARD_REPORTED_LOST");

        Response replaced = call("POST", "/api/card-sets/" + application + "/cards/" + lost + "/replacement", clerk);
        assertThat(replaced.status()).isEqualTo(200);
        String replacement = replaced.body().get("cardNumber").asString();
        assertThat(replacement).isNotEqualTo(lost).matches("OP[0-9]{11}");
        assertThat(replaced.body().get("replaces").asString()).isEqualTo(lost);
        assertThat(replaced.body().get("usable").asBoolean()).isTrue();
        JsonNode event = awaitEvent(application, EventType.CARD_REPLACED);
        assertThat(event.get("replacedCardNumber").asString()).isEqualTo(lost);
        assertThat(event.get("card").get("cardNumber").asString()).isEqualTo(replacement);

        // The old number is refused for every change, and for good.
        for (String change : List.of("loss", "replacement", "extension")) {
            assertThat(call("POST", "/api/card-sets/" + application + "/cards/" + lost + "/" + change, owner).status()).as(change)
                    .isEqualTo(409);
        }
        assertThat(stateOf(lost)).isEqualTo("REPLACED");
        // No card can ever take the old number, nor a number without its check digit: the database refuses both.
        assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> insertCard(application, lost));
        String wrongCheckDigit = replacement.substring(0, 12) + ((replacement.charAt(12) - '0' + 1) % 10);
        assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> insertCard(application, wrongCheckDigit));
    }

    @Test
    void anExtensionKeepsTheNumberAndAnExpiredCardIsInvalidUntilRenewedAtTheCounter() throws Exception {
        UUID application = issued();
        JsonNode set = get(application, owner).body();
        String legalPerson = cardOf(set, "林晓明");
        LocalDate validUntil = LocalDate.parse(cardNode(set, legalPerson).get("validUntil").asString());

        Response extended = call("POST", "/api/card-sets/" + application + "/cards/" + legalPerson + "/extension", owner);
        assertThat(extended.status()).isEqualTo(200);
        assertThat(extended.body().get("cardNumber").asString()).isEqualTo(legalPerson);
        assertThat(LocalDate.parse(extended.body().get("validUntil").asString())).isEqualTo(validUntil.plusYears(2));
        assertThat(awaitEvent(application, EventType.CARD_EXTENDED).get("renewed").asBoolean()).isFalse();

        // Thirty days before the end: one reminder, however many rounds the clock runs.
        String operator = cardOf(set, "陈静");
        LocalDate today = LocalDate.now(CHINA);
        jdbc.sql("UPDATE cards SET valid_until = ? WHERE card_number = ?").params(today.plusDays(10), operator).update();
        lifecycle.tick(500);
        lifecycle.tick(500);
        assertThat(awaitEvent(application, EventType.CARD_EXPIRING).get("validUntil").asString()).isEqualTo(today.plusDays(10).toString());

        // Past its last day, the clock expires it.
        jdbc.sql("UPDATE cards SET valid_until = ? WHERE card_number = ?").params(today.minusDays(1), operator).update();
        lifecycle.tick(500);
        assertThat(stateOf(operator)).isEqualTo("EXPIRED");
        assertThat(awaitEvent(application, EventType.CARD_EXPIRED).get("cardNumber").asString()).isEqualTo(operator);
        assertThat(cardNode(get(application, owner).body(), operator).get("usable").asBoolean()).isFalse();

        Response byTheEnterprise = call("POST", "/api/card-sets/" + application + "/cards/" + operator + "/extension", owner);
        assertThat(byTheEnterprise.status()).as("an expired card is renewed at the counter only").isEqualTo(403);
        Response renewed = call("POST", "/api/card-sets/" + application + "/cards/" + operator + "/extension", clerk);
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.body().get("cardNumber").asString()).isEqualTo(operator);
        assertThat(renewed.body().get("state").asString()).isEqualTo("VALID");
        assertThat(LocalDate.parse(renewed.body().get("validUntil").asString())).isEqualTo(today.plusYears(2));
        assertThat(awaitEvents(application, EventType.CARD_EXTENDED, 2)).anyMatch(e -> e.get("renewed").asBoolean());
    }

    @Test
    void aWithdrawnApprovalSuspendsTheWholeSetAndReApprovalOfTheAmendmentReinstatesTheSameNumbers() throws Exception {
        UUID application = issued();
        List<String> numbers = cardsOf(application);
        Reason revoked = new Reason("COMMERCE_BUSINESS_LICENCE_REVOKED", "营业执照 91350100M000100Y43 已被吊销",
                "business licence 91350100M000100Y43 was revoked");

        // A withdrawal signed by another agency's key changes nothing: it is dead-lettered.
        deliver(withdrawal(application, 1, Agency.COMMERCE, revoked, Agency.TAX));
        assertThat(setState(application)).isEqualTo("ACTIVE");

        deliver(withdrawal(application, 1, Agency.COMMERCE, revoked, Agency.COMMERCE));
        JsonNode set = get(application, owner).body();
        assertThat(set.get("state").asString()).isEqualTo("SUSPENDED");
        assertThat(set.get("suspendedBy").asString()).isEqualTo("COMMERCE");
        assertThat(set.get("suspensionReason").get("code").asString()).isEqualTo("COMMERCE_BUSINESS_LICENCE_REVOKED");
        assertThat(set.get("cards")).allMatch(card -> !card.get("usable").asBoolean());
        JsonNode suspended = awaitEvent(application, EventType.CARDS_SUSPENDED);
        assertThat(suspended.get("agency").asString()).isEqualTo("COMMERCE");
        assertThat(suspended.get("cardNumbers")).extracting(JsonNode::asString).containsExactlyInAnyOrderElementsOf(numbers);

        // A copy of the approval, or of the withdrawal, does not reinstate anything.
        deliver(verdict(application, 1, Agency.COMMERCE, Outcome.APPROVED));
        deliver(withdrawal(application, 1, Agency.COMMERCE, revoked, Agency.COMMERCE));
        assertThat(setState(application)).isEqualTo("SUSPENDED");

        deliver(amended(application, 2, List.of(OPERATOR)));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 2, agency, Outcome.APPROVED));
        }
        set = get(application, owner).body();
        assertThat(set.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(set.get("cards")).allMatch(card -> card.get("usable").asBoolean());
        assertThat(cardsOf(application)).containsExactlyInAnyOrderElementsOf(numbers);
        assertThat(awaitEvent(application, EventType.CARDS_REINSTATED).get("cardNumbers")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrderElementsOf(numbers);
    }

    @Test
    void cancellingTheAccountAtTheCounterCancelsEveryCardAndTheSetIsFinal() throws Exception {
        UUID application = issued();
        List<String> numbers = cardsOf(application);

        assertThat(call("POST", "/api/card-sets/" + application + "/cancellation", owner).status())
                .as("the enterprise cannot cancel its account online").isEqualTo(403);
        Response cancelled = call("POST", "/api/card-sets/" + application + "/cancellation", clerk);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("cards")).allMatch(card -> card.get("state").asString().equals("CANCELLED"));
        assertThat(awaitEvent(application, EventType.CARD_SET_CANCELLED).get("cardNumbers")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrderElementsOf(numbers);
        assertThat(call("POST", "/api/card-sets/" + application + "/cards/" + numbers.get(0) + "/extension", clerk).status()).isEqualTo(409);
        assertThat(call("POST", "/api/card-sets/" + application + "/cancellation", clerk).status()).isEqualTo(409);
        // Final: an amendment approved again afterwards brings nothing back.
        deliver(amended(application, 2, List.of(OPERATOR)));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 2, agency, Outcome.APPROVED));
        }
        assertThat(setState(application)).isEqualTo("CANCELLED");
    }

    @Test
    void onlyTheEnterpriseForItsOwnSetAndCustomsClerksMayActOnIt() throws Exception {
        UUID application = issued();
        String card = cardsOf(application).get(1);
        List<String> others = List.of(DevTokens.applicant("enterprise-someone-else"), DevTokens.reviewer("customs-reviewer-01", "customs"),
                DevTokens.telecom("telecom-clerk-01"), DevTokens.ops("ops-01"), DevTokens.integrator("erp-01"));
        for (String token : others) {
            assertThat(call("GET", "/api/card-sets/" + application, token).status()).isEqualTo(403);
            assertThat(call("POST", "/api/card-sets/" + application + "/cards/" + card + "/loss", token).status()).isEqualTo(403);
            assertThat(call("DELETE", "/api/card-sets/" + application + "/operators/" + card, token).status()).isEqualTo(403);
            assertThat(call("POST", "/api/card-sets/" + application + "/cancellation", token).status()).isEqualTo(403);
        }
        assertThat(call("POST", "/api/card-sets/" + application + "/cards/" + card + "/loss", null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/card-sets/" + UUID.randomUUID(), owner).status()).as("no probing for others' sets").isEqualTo(403);
        assertThat(call("GET", "/api/card-sets/" + UUID.randomUUID(), clerk).status()).isEqualTo(404);
        assertThat(call("POST", "/api/card-sets/" + application + "/cards/" + "X".repeat(5000) + "/loss", clerk).status())
                .isIn(400, 404, 414);
        assertThat(stateOf(card)).as("nothing the others asked for happened").isEqualTo("VALID");
        assertThat(call("GET", "/api/card-sets/" + application, owner).status()).isEqualTo(200);
        assertThat(call("GET", "/api/card-sets/" + application, clerk).status()).isEqualTo(200);
    }

    @Test
    void aPaperApplicationsSetIsActedOnByTheEnterpriseAccountTheClerkNamedAndNotByTheClerkWhoKeyedItIn() throws Exception {
        UUID application = UUID.randomUUID();
        deliver(new ApplicationSubmitted(application, 1, "YY2026000000012", now(), Channel.PAPER, "customs-clerk-07", ENTERPRISE,
                LEGAL_REPRESENTATIVE, List.of(OPERATOR), enterprise));
        deliver(new TelecomRegistered(application, "YY2026000000012", "M000100Y4", "17999000124", now(), "telecom-clerk-01"));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }
        assertThat(cardsOf(application)).hasSize(2);

        assertThat(call("GET", "/api/card-sets/" + application, owner).status()).isEqualTo(200);
        assertThat(call("GET", "/api/card-sets/" + application, DevTokens.applicant("customs-clerk-07")).status())
                .as("the clerk's account name is not the enterprise").isEqualTo(403);
        assertThat(call("GET", "/api/card-sets/" + application, DevTokens.applicant("enterprise-someone-else")).status()).isEqualTo(403);
        assertThat(call("POST", "/api/card-sets/" + application + "/cards/" + cardsOf(application).get(1) + "/loss", owner).status())
                .isEqualTo(200);
    }

    @Test
    void aMalformedFormBodyOnAnyMethodIsRefusedAsAClientErrorNeverAServerOne() throws Exception {
        UUID application = issued();
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            for (String token : java.util.Arrays.asList(null, clerk)) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/card-sets/" + application))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .method(method, HttpRequest.BodyPublishers.ofString("a=%zz&b=%"));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                assertThat(status).as(method + (token == null ? " without a token" : " as a clerk")).isBetween(400, 499);
            }
        }
    }

    // --- the application's way to its cards, as the other services publish it

    private static final CardHolder LEGAL_REPRESENTATIVE = new CardHolder("林晓明", "110***********002X", null);
    private static final CardHolder OPERATOR = new CardHolder("陈静", "350***********0021", "BG35010001");

    /** An application of this test's enterprise, submitted online, approved by all six and registered: its set issued. */
    private UUID issued() {
        UUID application = UUID.randomUUID();
        deliver(new ApplicationSubmitted(application, 1, "YY2026000000011", now(), Channel.ONLINE, enterprise, ENTERPRISE,
                LEGAL_REPRESENTATIVE, List.of(OPERATOR)));
        deliver(new TelecomRegistered(application, "YY2026000000011", "M000100Y4", "17999000123", now(), "telecom-clerk-01"));
        for (Agency agency : Agency.values()) {
            deliver(verdict(application, 1, agency, Outcome.APPROVED));
        }
        assertThat(cardsOf(application)).hasSize(2);
        return application;
    }

    private static final Enterprise ENTERPRISE = new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43",
            "M000100Y-4", "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
            "0591-87654321");

    private ApplicationRevision amended(UUID application, int revision, List<CardHolder> operators) {
        return new ApplicationAmended(application, revision, "YY2026000000011", now(), Channel.ONLINE, enterprise, ENTERPRISE,
                LEGAL_REPRESENTATIVE, operators);
    }

    private static VerdictIssued verdict(UUID application, int revision, Agency agency, Outcome outcome) {
        return keyOf(agency).sign(new VerdictIssued(application, revision, agency, outcome, List.of(),
                new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"), now(), ""));
    }

    private static ApprovalWithdrawn withdrawal(UUID application, int revision, Agency agency, Reason reason, Agency signer) {
        return keyOf(signer).sign(new ApprovalWithdrawn(application, revision, agency, List.of(reason),
                new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"), now(), ""));
    }

    private static VerdictSignatures keyOf(Agency agency) {
        return VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(agency.id()), Map.of()));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private void deliver(ApplicationEvent event) {
        String key = event.applicationId().toString();
        byte[] value = json.writeValueAsBytes(event);
        consumer.consume(List.of(new IncomingRecord(Topics.of(event), 0, OFFSETS.incrementAndGet(), key,
                DevKeys.signedAsTopicWriter(Topics.of(event), key, CloudEventHeaders.of(event, UUID.randomUUID().toString(),
                        "/eport/test", Instant.now()), value), value)), issuance::handle);
    }

    // --- reading back

    private List<String> cardsOf(UUID application) {
        return jdbc.sql("SELECT card_number FROM cards WHERE application_id = ? ORDER BY card_number").param(application)
                .query(String.class).list();
    }

    private String stateOf(String cardNumber) {
        return jdbc.sql("SELECT state FROM cards WHERE card_number = ?").param(cardNumber).query(String.class).single();
    }

    private String setState(UUID application) {
        return jdbc.sql("SELECT state FROM card_sets WHERE application_id = ?").param(application).query(String.class).single();
    }

    private void insertCard(UUID application, String number) {
        jdbc.sql("""
                        INSERT INTO cards (card_number, application_id, kind, holder_name, masked_id_number, state, valid_until,
                                           issued_at, changed_at)
                        VALUES (?, ?, substr(?, 1, 2), '陈静', '350***********0021', 'VALID', current_date, now(), now())""")
                .params(number, application, number).update();
    }

    private static String cardOf(JsonNode set, String holder) {
        List<String> found = new ArrayList<>();
        set.get("cards").forEach(card -> {
            if (card.get("holderName").asString().equals(holder) && card.get("state").asString().equals("VALID")) {
                found.add(card.get("cardNumber").asString());
            }
        });
        assertThat(found).as("valid cards of %s", holder).hasSize(1);
        return found.get(0);
    }

    private static JsonNode cardNode(JsonNode set, String number) {
        for (JsonNode card : set.get("cards")) {
            if (card.get("cardNumber").asString().equals(number)) {
                return card;
            }
        }
        throw new AssertionError("no card " + number);
    }

    private JsonNode awaitEvent(UUID application, EventType type) {
        return awaitEvents(application, type, 1).get(0);
    }

    private List<JsonNode> awaitEvents(UUID application, EventType type, int count) {
        List<KafkaProbe.Record> seen = cards.awaitUntil(records -> ofType(records, application, type).size() >= count, PATIENCE);
        List<KafkaProbe.Record> found = ofType(seen, application, type);
        assertThat(found).as("%s on eport.cards for %s", type.ceType(), application).hasSizeGreaterThanOrEqualTo(count);
        return found.stream().map(r -> json.readTree(r.text())).toList();
    }

    private static List<KafkaProbe.Record> ofType(List<KafkaProbe.Record> records, UUID application, EventType type) {
        return records.stream().filter(r -> r.key().equals(application.toString()) && type.ceType().equals(r.header(CloudEventHeaders.TYPE)))
                .toList();
    }

    record Response(int status, JsonNode body) {
    }

    private Response get(UUID application, String token) throws Exception {
        Response response = call("GET", "/api/card-sets/" + application, token);
        assertThat(response.status()).isEqualTo(200);
        return response;
    }

    private Response call(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body().isEmpty() ? json.nullNode() : json.readTree(response.body()));
    }
}
