package cn.eport.intake;

import cn.eport.testsupport.FuzzBodies.Caller;
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
import cn.eport.testsupport.FuzzBodies;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
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
 * <p>Every try is drawn from the seed ({@value FuzzBodies#SEED_PROPERTY}, else
 * {@link FuzzBodies#DEFAULT_SEED}) and its index, which a failure names. The annotations are those of
 * {@link ApplicationsControlCharacterTest}, so both share one cached context.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplicationsFuzzTest {

    private static final Logger log = LoggerFactory.getLogger(ApplicationsFuzzTest.class);
    private static final String OWNER = "enterprise-fuzz";
    private static final String OWNER_TOKEN = "Bearer " + DevTokens.applicant(OWNER);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> FORMS = List.of(SampleForm.valid().json(), SampleForm.validLegacy().json(),
            SampleForm.valid().with("enterpriseAccount", OWNER).json());
    private static final List<String> AMENDMENTS = List.of(SampleForm.valid().json(), SampleForm.validLegacy().json());

    @Autowired
    MockMvc http;

    /** Rejected applications of OWNER: an amendment of one gets through once, then it is no longer rejected. */
    private FuzzBodies.Pool rejected;
    /** Submitted applications of OWNER, each withdrawn once. */
    private FuzzBodies.Pool submitted;

    /** Who calls: a name for the report, and the Authorization header (none when null). */
    private static final Caller APPLICANT = new Caller("the applicant", OWNER_TOKEN);
    private static final Caller OTHER_APPLICANT = new Caller("another applicant", "Bearer " + DevTokens.applicant("enterprise-fuzz-other"));
    private static final Caller CLERK = new Caller("a clerk", "Bearer " + DevTokens.clerk("clerk-fuzz"));
    private static final Caller OPS = new Caller("ops", "Bearer " + DevTokens.ops("ops-fuzz"));
    private static final Caller REVIEWER = new Caller("a reviewer", "Bearer " + DevTokens.reviewer("reviewer-fuzz", "tax"));
    private static final List<Caller> STRANGERS = strangers();

    @BeforeAll
    void intakeWithApplicationsToAmendAndToWithdraw() throws Exception {
        List<String> toReject = submit(30);
        rejectByTax(toReject);
        rejected = new FuzzBodies.Pool(toReject);
        submitted = new FuzzBodies.Pool(submit(30));
    }

    @Test
    void submittingAnApplicationNeverAnswers5xx() {
        FuzzBodies.Run run = new FuzzBodies.Run("POST /api/applications");
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                expectNo5xx(run, i, post("/api/applications"), run.body(i, FORMS), submitter(random), idempotencyKey(random));
            }
        } finally {
            log.info("{}", run.line());
        }
    }

    @Test
    void amendingAnApplicationNeverAnswers5xx() {
        FuzzBodies.Run run = new FuzzBodies.Run("PUT /api/applications/{id}");
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                Caller caller = actor(random);
                String applicationId = FuzzBodies.pick(random, 85, 15) == 0 ? rejected.pick(random) : otherId(random);
                if (expectNo5xx(run, i, put("/api/applications/{id}", applicationId), run.body(i, AMENDMENTS), caller, "") < 300) {
                    rejected.usedUp(applicationId::equals);
                }
            }
        } finally {
            log.info("{} ({} of 30 rejected applications left to amend)", run.line(), rejected.left());
        }
    }

    @Test
    void withdrawingAnApplicationNeverAnswers5xx() {
        FuzzBodies.Run run = new FuzzBodies.Run("POST /api/applications/{id}/withdrawal");
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                Caller caller = actor(random);
                String applicationId = FuzzBodies.pick(random, 85, 15) == 0 ? submitted.pick(random) : otherId(random);
                if (expectNo5xx(run, i, post("/api/applications/{id}/withdrawal", applicationId), run.body(i, FORMS), caller, "") < 300) {
                    submitted.usedUp(applicationId::equals);
                }
            }
        } finally {
            log.info("{} ({} of 30 submitted applications left to withdraw)", run.line(), submitted.left());
        }
    }

    private static Caller submitter(Random random) {
        return switch (FuzzBodies.pick(random, 60, 12, 5, 3, 20)) {
            case 0 -> APPLICANT;
            case 1 -> CLERK;
            case 2 -> OPS;
            case 3 -> REVIEWER;
            default -> FuzzBodies.oneOf(random, STRANGERS);
        };
    }

    private static Caller actor(Random random) {
        return switch (FuzzBodies.pick(random, 65, 10, 8, 4, 13)) {
            case 0 -> APPLICANT;
            case 1 -> CLERK;
            case 2 -> OTHER_APPLICANT;
            case 3 -> OPS;
            default -> FuzzBodies.oneOf(random, STRANGERS);
        };
    }

    /** No token, not a token, a token whose signature was tampered with, another scheme. */
    private static List<Caller> strangers() {
        String valid = DevTokens.applicant(OWNER);
        return List.of(new Caller("no one", null), new Caller("a garbage token", "Bearer not.a.token"),
                new Caller("a tampered token", "Bearer " + valid.substring(0, valid.length() - 4) + "AAAA"),
                new Caller("another scheme", "Basic ZnV6ejpmdXp6"), new Caller("an empty bearer", "Bearer "));
    }

    /** Mostly none; else a fresh UUID, or one that is no key. */
    private static String idempotencyKey(Random random) {
        return switch (FuzzBodies.pick(random, 85, 10, 5)) {
            case 0 -> "";
            case 1 -> FuzzBodies.uuid(random).toString();
            default -> FuzzBodies.oneOf(random, List.of("x".repeat(300), "\u0000", "福", " ", "a b", "..", "%00"));
        };
    }

    private static String otherId(Random random) {
        return random.nextBoolean() ? FuzzBodies.uuid(random).toString()
                : FuzzBodies.oneOf(random, List.of("not-a-uuid", "0", " ", "00000000-0000-0000-0000-000000000000",
                        "0f1e2d3c-4b5a-4697-8877-66554433221", FuzzBodies.uuid(random) + "x", "ＵＵＩＤ", "%00", "..", "\u0000", "\u202E",
                        "x".repeat(2000)));
    }

    /** Sends the body as the caller and returns the status, failing the test on a 5xx with the seed and index of the try. */
    private int expectNo5xx(FuzzBodies.Run run, int index, MockHttpServletRequestBuilder request, FuzzBodies.Body body, Caller caller,
            String idempotencyKey) {
        return run.send(http, index, request, body, caller, idempotencyKey).status();
    }

    private List<String> submit(int count) throws Exception {
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
    private void rejectByTax(List<String> ids) throws Exception {
        VerdictSignatures tax = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf("tax"), Map.of()));
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(),
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
