package cn.eport.intake;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.FuzzBodies;
import cn.eport.testsupport.FuzzBodies.Caller;
import cn.eport.testsupport.RealInfrastructure;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever body anyone sends to the webhook endpoints that take one, the answer is never a 5xx: a
 * thousand generated bodies each ({@link FuzzBodies}), from an applicant, an integrator, a reviewer
 * and callers without a valid token. The annotations are {@link WebhooksTest}'s, so both share one
 * cached context.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0",
        "eport.intake.webhooks.allow-loopback=true", "eport.intake.webhooks.poll-interval=100ms",
        "eport.intake.webhooks.first-retry=200ms", "eport.intake.webhooks.max-retry-wait=1s",
        "eport.intake.webhooks.response-timeout=1s", "eport.intake.webhooks.give-up-after=8s"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksFuzzTest {

    private static final Logger log = LoggerFactory.getLogger(WebhooksFuzzTest.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ACCOUNT = "enterprise-webhooks-fuzz";
    private static final Caller APPLICANT = new Caller("the applicant", "Bearer " + DevTokens.applicant(ACCOUNT));
    private static final Caller INTEGRATOR = new Caller("an integrator", "Bearer " + DevTokens.integrator("integrator-fuzz"));
    private static final Caller REVIEWER = new Caller("a reviewer", "Bearer " + DevTokens.reviewer("reviewer-fuzz", "tax"));
    private static final Caller NOBODY = new Caller("no token", null);
    private static final Caller FORGED = new Caller("a forged token", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
    private static final List<Caller> CALLERS = List.of(APPLICANT, APPLICANT, INTEGRATOR, INTEGRATOR, REVIEWER, NOBODY, FORGED);

    /** Valid bodies the fuzzer mutates; the endpoint refuses connections, so nothing is ever delivered. */
    private static final List<String> SUBSCRIPTIONS = List.of("{\"url\": \"http://127.0.0.1:9/hooks\"}",
            "{\"url\": \"http://localhost:9/hooks\", \"scope\": \"AGENCY\", \"agency\": \"tax\", \"description\": \"ERP\"}",
            "{\"url\": \"http://127.0.0.1:9/all\", \"scope\": \"ALL\"}");
    private static final List<String> REPLAYS = List.of("{\"fromSequence\": 1}",
            "{\"applicationId\": \"" + UUID.randomUUID() + "\", \"fromSequence\": 3}");

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;

    private String subscription;

    @BeforeAll
    void aSubscriptionToReplay() throws Exception {
        String created = http.perform(post("/api/webhooks").header("Authorization", APPLICANT.authorization())
                .contentType(MediaType.APPLICATION_JSON).content(SUBSCRIPTIONS.get(0))).andReturn().getResponse().getContentAsString();
        subscription = JSON.readTree(created).get("id").asString();
    }

    @AfterAll
    void noSubscriptionLeft() {
        jdbc.sql("DELETE FROM webhook_subscriptions").update();
        jdbc.sql("DELETE FROM webhook_deliveries").update();
    }

    @Test
    void subscribingNeverAnswers5xx() {
        FuzzBodies.Run run = new FuzzBodies.Run("POST /api/webhooks");
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                run.send(http, i, post("/api/webhooks"), run.body(i, SUBSCRIPTIONS), CALLERS.get(random.nextInt(CALLERS.size())), "");
                if (i % 50 == 0) {
                    // Under the limit of subscriptions an account holds, so that valid bodies keep reaching the database.
                    jdbc.sql("DELETE FROM webhook_subscriptions WHERE id::text <> ?").param(subscription).update();
                }
            }
        } finally {
            log.info("{}", run.line());
        }
    }

    @Test
    void askingForAReplayNeverAnswers5xx() {
        FuzzBodies.Run run = new FuzzBodies.Run("POST /api/webhooks/{id}/replay");
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                String id = random.nextInt(5) == 0 ? UUID.randomUUID().toString() : subscription;
                run.send(http, i, post("/api/webhooks/{id}/replay", id), run.body(i, REPLAYS), CALLERS.get(random.nextInt(CALLERS.size())), "");
            }
        } finally {
            log.info("{}", run.line());
        }
    }
}
