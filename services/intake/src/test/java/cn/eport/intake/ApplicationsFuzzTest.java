package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever body anyone sends to intake's write endpoints, the answer is never a 5xx: a thousand
 * generated bodies each ({@link FuzzBodies}), from the applicant, a clerk, strangers and callers
 * without a valid token, against intake on real PostgreSQL and Kafka. Amendments go to applications
 * that a signed tax verdict has rejected, so that valid ones get through to the database.
 * {@code POST /api/releases} takes no body and is not fuzzed here.
 *
 * <p>Spring's test context is loaded through {@link TestContextManager} (jqwik runs no JUnit
 * extensions); the annotations are those of {@link ApplicationsControlCharacterTest}, so both share
 * one cached context.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class ApplicationsFuzzTest {

    private static final Logger log = LoggerFactory.getLogger(ApplicationsFuzzTest.class);
    private static final String OWNER = "enterprise-fuzz";
    private static final String OWNER_TOKEN = "Bearer " + DevTokens.applicant(OWNER);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static MockMvc http;
    /** Rejected applications of OWNER: an amendment of one gets through once, then it is no longer rejected. */
    private static FuzzBodies.Pool rejected;
    /** Submitted applications of OWNER, each withdrawn once. */
    private static FuzzBodies.Pool submitted;

    private final FuzzBodies.Tally tally = new FuzzBodies.Tally();
    private String endpoint = "";

    /** Who calls: a name for the report, and the Authorization header (none when null). */
    record Caller(String who, @Nullable String authorization) {
    }

    @BeforeContainer
    static void intakeWithApplicationsToAmendAndToWithdraw() throws Exception {
        http = new TestContextManager(ApplicationsFuzzTest.class).getTestContext().getApplicationContext().getBean(MockMvc.class);
        List<String> toReject = submit(30);
        rejectByTax(toReject);
        rejected = new FuzzBodies.Pool(toReject);
        submitted = new FuzzBodies.Pool(submit(30));
    }

    @Property(tries = 1000)
    void submittingAnApplicationNeverAnswers5xx(@ForAll("forms") FuzzBodies.Body body, @ForAll("submitters") Caller caller,
            @ForAll("idempotencyKeys") String idempotencyKey) {
        endpoint = "POST /api/applications";
        expectNo5xx(post("/api/applications"), body, caller, idempotencyKey);
    }

    @Property(tries = 1000)
    void amendingAnApplicationNeverAnswers5xx(@ForAll("amendments") FuzzBodies.Body body, @ForAll("actors") Caller caller,
            @ForAll("amendable") String applicationId) {
        endpoint = "PUT /api/applications/{id}";
        if (expectNo5xx(put("/api/applications/{id}", applicationId), body, caller, "") < 300) {
            rejected.usedUp(applicationId::equals);
        }
    }

    @Property(tries = 1000)
    void withdrawingAnApplicationNeverAnswers5xx(@ForAll("forms") FuzzBodies.Body body, @ForAll("actors") Caller caller,
            @ForAll("withdrawable") String applicationId) {
        endpoint = "POST /api/applications/{id}/withdrawal";
        if (expectNo5xx(post("/api/applications/{id}/withdrawal", applicationId), body, caller, "") < 300) {
            submitted.usedUp(applicationId::equals);
        }
    }

    @AfterProperty
    void reportTheAnswers() {
        log.info("{} ({} of 30 rejected applications left to amend, {} of 30 to withdraw)", tally.line(endpoint), rejected.left(),
                submitted.left());
    }

    @Provide
    Arbitrary<FuzzBodies.Body> forms() {
        return FuzzBodies.around(List.of(SampleForm.valid().json(), SampleForm.validLegacy().json(),
                SampleForm.valid().with("enterpriseAccount", OWNER).json()));
    }

    @Provide
    Arbitrary<FuzzBodies.Body> amendments() {
        return FuzzBodies.around(List.of(SampleForm.valid().json(), SampleForm.validLegacy().json()));
    }

    @Provide
    Arbitrary<Caller> submitters() {
        return Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.just(new Caller("the applicant", OWNER_TOKEN))),
                Tuple.of(12, Arbitraries.just(new Caller("a clerk", "Bearer " + DevTokens.clerk("clerk-fuzz")))),
                Tuple.of(5, Arbitraries.just(new Caller("ops", "Bearer " + DevTokens.ops("ops-fuzz")))),
                Tuple.of(3, Arbitraries.just(new Caller("a reviewer", "Bearer " + DevTokens.reviewer("reviewer-fuzz", "tax")))),
                Tuple.of(20, strangers()));
    }

    @Provide
    Arbitrary<Caller> actors() {
        return Arbitraries.frequencyOf(
                Tuple.of(65, Arbitraries.just(new Caller("the applicant", OWNER_TOKEN))),
                Tuple.of(10, Arbitraries.just(new Caller("a clerk", "Bearer " + DevTokens.clerk("clerk-fuzz")))),
                Tuple.of(8, Arbitraries.just(new Caller("another applicant", "Bearer " + DevTokens.applicant("enterprise-fuzz-other")))),
                Tuple.of(4, Arbitraries.just(new Caller("ops", "Bearer " + DevTokens.ops("ops-fuzz")))),
                Tuple.of(13, strangers()));
    }

    @Provide
    Arbitrary<String> amendable() {
        return Arbitraries.frequencyOf(Tuple.of(85, rejected.arbitrary()), Tuple.of(15, otherIds()));
    }

    @Provide
    Arbitrary<String> withdrawable() {
        return Arbitraries.frequencyOf(Tuple.of(85, submitted.arbitrary()), Tuple.of(15, otherIds()));
    }

    @Provide
    Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(Tuple.of(85, Arbitraries.just("")),
                Tuple.of(10, Arbitraries.create(() -> UUID.randomUUID().toString())),
                Tuple.of(5, Arbitraries.of("x".repeat(300), "\u0000", "福", " ", "a b", "..", "%00")));
    }

    /** No token, not a token, a token whose signature was tampered with, another scheme. */
    private static Arbitrary<Caller> strangers() {
        String valid = DevTokens.applicant(OWNER);
        return Arbitraries.of(new Caller("no one", null), new Caller("a garbage token", "Bearer not.a.token"),
                new Caller("a tampered token", "Bearer " + valid.substring(0, valid.length() - 4) + "AAAA"),
                new Caller("another scheme", "Basic ZnV6ejpmdXp6"), new Caller("an empty bearer", "Bearer "));
    }

    private static Arbitrary<String> otherIds() {
        return Arbitraries.oneOf(Arbitraries.create(() -> UUID.randomUUID().toString()),
                Arbitraries.of("not-a-uuid", "0", " ", "00000000-0000-0000-0000-000000000000", "0f1e2d3c-4b5a-4697-8877-66554433221",
                        UUID.randomUUID() + "x", "ＵＵＩＤ", "%00", "..", "\u0000", "\u202E", "x".repeat(2000)));
    }

    /** Sends the body as the caller and returns the status, failing the try on a 5xx. */
    private int expectNo5xx(MockHttpServletRequestBuilder request, FuzzBodies.Body body, Caller caller, String idempotencyKey) {
        request.content(body.bytes());
        if (body.contentType() != null) {
            request.header(HttpHeaders.CONTENT_TYPE, body.contentType());
        }
        if (caller.authorization() != null) {
            request.header(HttpHeaders.AUTHORIZATION, caller.authorization());
        }
        if (!idempotencyKey.isEmpty()) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        int status;
        String answer;
        try {
            MockHttpServletResponse response = http.perform(request).andReturn().getResponse();
            status = response.getStatus();
            answer = response.getContentAsString();
        } catch (Exception escaped) {
            // Thrown out of the filter chain: a servlet container would answer 500.
            log.error("{} {} by {} escaped as an exception", endpoint, body, caller.who(), escaped);
            status = 500;
            answer = escaped.toString();
        }
        tally.add(status);
        assertThat(status).as("%s %s by %s answered %s", endpoint, body, caller.who(), answer).isLessThan(500);
        return status;
    }

    private static List<String> submit(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String created = http.perform(post("/api/applications").header(HttpHeaders.AUTHORIZATION, OWNER_TOKEN)
                            .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().json()))
                    .andReturn().getResponse().getContentAsString();
            ids.add(JSON.readTree(created).get("applicationId").asString());
        }
        return ids;
    }

    /** Signed REJECTED verdicts from tax, as the tax check would publish them; returns when intake shows them. */
    private static void rejectByTax(List<String> ids) throws Exception {
        VerdictSignatures tax = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf("tax"), Map.of()));
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaBootstrapServers(),
                List.of(Topics.verdicts(Agency.TAX)))) {
            for (String id : ids) {
                VerdictIssued verdict = tax.sign(new VerdictIssued(UUID.fromString(id), 1, Agency.TAX, Outcome.REJECTED,
                        List.of(new Reason("TAX_FUZZ_REJECTED", "为测试而驳回", "rejected for the test")),
                        new Decider(Decider.Kind.RULES, "tax-rules/1"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
                kafka.send(Topics.verdicts(Agency.TAX), id, CloudEventHeaders.of(verdict, UUID.randomUUID().toString(),
                        "/eport/tax-check", Instant.now()), JSON.writeValueAsBytes(verdict));
            }
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        for (String id : ids) {
            while (!JSON.readTree(http.perform(get("/api/applications/{id}", id).header(HttpHeaders.AUTHORIZATION, OWNER_TOKEN))
                    .andReturn().getResponse().getContentAsString()).path("status").asString().equals("REJECTED")) {
                assertThat(Instant.now()).as("intake shows the tax rejection of %s", id).isBefore(deadline);
                Thread.sleep(100);
            }
        }
    }
}
