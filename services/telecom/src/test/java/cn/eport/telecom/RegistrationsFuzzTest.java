package cn.eport.telecom;

import cn.eport.testsupport.FuzzBodies.Caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.Topics;
import cn.eport.identifiers.AppointmentSlipNumber;
import cn.eport.messaging.CloudEventHeaders;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever body anyone sends to the telecom counter, the answer is never a 5xx: a thousand
 * generated bodies ({@link FuzzBodies}) around registrations of slips telecom has learnt from
 * {@code eport.applications}, so that valid ones register, from the clerk, other roles and callers
 * without a valid token, on real PostgreSQL and Kafka.
 *
 * <p>Every try is drawn from the seed ({@value FuzzBodies#SEED_PROPERTY}, else
 * {@link FuzzBodies#DEFAULT_SEED}) and its index, which a failure names. The annotations are those
 * of the other telecom tests, so that all share one context. Its slips are of the year 2099 and its
 * cards 179999xxxxx, apart from those of the other tests.
 */
@SpringBootTest(classes = TelecomApplication.class, properties = "spring.config.name=telecom")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationsFuzzTest {

    private static final Logger log = LoggerFactory.getLogger(RegistrationsFuzzTest.class);
    private static final String ENDPOINT = "POST /api/registrations";
    private static final String ENTERPRISE_CODE = "M000100Y-4";
    private static final String CLERK_TOKEN = "Bearer " + DevTokens.telecom("telecom-clerk-fuzz");
    private static final int SLIPS = 25;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc http;

    @Autowired
    JdbcClient jdbc;

    private final FuzzBodies.Run run = new FuzzBodies.Run(ENDPOINT);
    /** Registrations of known slips, each with its own card: the first registration of each gets through. */
    private FuzzBodies.Pool registrations;

    /** Who calls: a name for the report, and the Authorization header (none when null). */
    private static final Caller CLERK = new Caller("the telecom clerk", CLERK_TOKEN);
    private static final Caller OPS = new Caller("ops", "Bearer " + DevTokens.ops("ops-fuzz"));
    private static final Caller APPLICANT = new Caller("an applicant", "Bearer " + DevTokens.applicant("enterprise-fuzz"));
    /** No token, not a token, a token whose signature was tampered with, another scheme. */
    private static final List<Caller> STRANGERS = List.of(new Caller("no one", null), new Caller("a garbage token", "Bearer not.a.token"),
            new Caller("a tampered token", CLERK_TOKEN.substring(0, CLERK_TOKEN.length() - 4) + "AAAA"),
            new Caller("another scheme", "Basic ZnV6ejpmdXp6"), new Caller("an empty bearer", "Bearer "));

    @BeforeAll
    void telecomThatKnowsSomeSlips() throws Exception {
        Random numbers = run.random(-1, "slips and cards");
        long firstSlip = numbers.nextLong(1, 90_000_000);
        int firstCard = numbers.nextInt(0, 90_000);
        List<String> slips = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.APPLICATIONS))) {
            for (int i = 0; i < SLIPS; i++) {
                String slip = AppointmentSlipNumber.of(2099, firstSlip + i);
                ApplicationSubmitted submitted = submitted(slip);
                kafka.sendAs("intake", Topics.APPLICATIONS, submitted.applicationId().toString(),
                        CloudEventHeaders.of(submitted, UUID.randomUUID().toString(), "/eport/intake", Instant.now()),
                        JSON.writeValueAsBytes(submitted));
                slips.add(slip);
                bodies.add(JSON.writeValueAsString(new RegistrationsController.Registration(slip, ENTERPRISE_CODE,
                        "179999" + String.format("%05d", firstCard + i))));
            }
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (jdbc.sql("SELECT count(*) FROM applications WHERE slip_number IN (:slips)").param("slips", slips)
                .query(Integer.class).single() < slips.size()) {
            assertThat(Instant.now()).as("telecom learns the slips from eport.applications").isBefore(deadline);
            Thread.sleep(100);
        }
        registrations = new FuzzBodies.Pool(bodies);
    }

    @Test
    void registeringNeverAnswers5xx() {
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                register(i, run.body(i, registrations.samples()), caller(random), idempotencyKey(random));
            }
        } finally {
            log.info("{} ({} of {} slips left unregistered)", run.line(), registrations.left(), SLIPS);
        }
    }

    /** Sends the registration as the caller, failing the test on a 5xx with the seed and index of the try. */
    private void register(int index, FuzzBodies.Body body, Caller caller, String idempotencyKey) {
        FuzzBodies.Answer answered = run.send(http, index, post("/api/registrations"), body, caller, idempotencyKey);
        int status = answered.status();
        String answer = answered.body();
        if (status < 300) {
            String slip = JSON.readTree(answer).path("slipNumber").asString();
            registrations.usedUp(registration -> registration.contains("\"" + slip + "\""));
        }
    }

    private static Caller caller(Random random) {
        return switch (FuzzBodies.pick(random, 75, 5, 5, 15)) {
            case 0 -> CLERK;
            case 1 -> OPS;
            case 2 -> APPLICANT;
            default -> FuzzBodies.oneOf(random, STRANGERS);
        };
    }

    /** Mostly none; else a fresh UUID, or one that is no key. */
    private static String idempotencyKey(Random random) {
        return switch (FuzzBodies.pick(random, 85, 10, 5)) {
            case 0 -> "";
            case 1 -> FuzzBodies.uuid(random).toString();
            default -> FuzzBodies.oneOf(random, List.of("x".repeat(300), "\u0000", "福", " ", "a b", "..", "%00"));
        };
    }

    private static ApplicationSubmitted submitted(String slip) {
        return new ApplicationSubmitted(UUID.randomUUID(), 1, slip, Instant.now().truncatedTo(ChronoUnit.MILLIS), Channel.ONLINE,
                "enterprise-fuzz",
                new Enterprise("福州榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", ENTERPRISE_CODE, "110108000000016",
                        "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明", "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0021", "BG35010001")));
    }
}
