package cn.eport.agencycheck;

import cn.eport.testsupport.FuzzBodies.Caller;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.FuzzBodies;
import cn.eport.testsupport.KafkaProbe;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Whatever decision body anyone sends to the review queue, the answer is never a 5xx: a thousand
 * generated bodies ({@link FuzzBodies}) around valid approvals and rejections, mostly for cases the
 * kit has really referred (so that the first valid decision of each is signed, stored and
 * published), from the agency's reviewer, another agency's, other roles and callers without a valid
 * token, on real PostgreSQL and Kafka.
 *
 * <p>Every try is drawn from the seed ({@value FuzzBodies#SEED_PROPERTY}, else
 * {@link FuzzBodies#DEFAULT_SEED}) and its index, which a failure names. Spring's test context is
 * that of the other kit tests ({@link KitTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewsFuzzTest extends KitTest {

    private static final Logger log = LoggerFactory.getLogger(ReviewsFuzzTest.class);
    private static final String ENDPOINT = "POST /api/reviews/{applicationId}/{revision}/decision";
    private static final int CASES = 60;
    private static final String REVIEWER_TOKEN = "Bearer " + DevTokens.reviewer("reviewer-forex-fuzz", "forex");
    private static final List<String> DECISIONS = List.of("{\"outcome\": \"APPROVED\"}", "{\"outcome\": \"APPROVED\", \"reasons\": []}",
            "{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_TEST_CERTIFICATE_NAME_MISMATCH\", "
                    + "\"zh\": \"外汇登记证上的名称与企业名称不符\", \"en\": \"the name on the forex certificate is not the enterprise's\"}]}",
            "{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_A\", \"zh\": \"一\", \"en\": \"one\"}, "
                    + "{\"code\": \"FOREX_B\", \"zh\": \"二\", \"en\": \"two\"}]}");

    @Autowired
    MockMvc http;

    /** Cases waiting for a reviewer: the first valid decision of each gets through. */
    private FuzzBodies.Pool referred;

    /** Who calls: a name for the report, and the Authorization header (none when null). */
    private static final Caller FOREX_REVIEWER = new Caller("the forex reviewer", REVIEWER_TOKEN);
    private static final Caller TAX_REVIEWER = new Caller("a tax reviewer", "Bearer " + DevTokens.reviewer("reviewer-tax-fuzz", "tax"));
    private static final Caller REVIEWER_OF_NO_AGENCY = new Caller("a reviewer of no agency",
            "Bearer " + DevTokens.token("reviewer-none", List.of("REVIEWER"), null));
    private static final Caller APPLICANT = new Caller("an applicant", "Bearer " + DevTokens.applicant("enterprise-fuzz"));
    /** No token, not a token, a token whose signature was tampered with, another scheme. */
    private static final List<Caller> STRANGERS = List.of(new Caller("no one", null), new Caller("a garbage token", "Bearer not.a.token"),
            new Caller("a tampered token", REVIEWER_TOKEN.substring(0, REVIEWER_TOKEN.length() - 4) + "AAAA"),
            new Caller("another scheme", "Basic ZnV6ejpmdXp6"), new Caller("an empty bearer", "Bearer "));

    @BeforeAll
    void casesWaitingForAReviewer() {
        registry.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/certificates/lookup").willReturn(okJson(answer(
                record("91350100M000100Y43", "榕城进出口贸易（集团）有限公司", "VALID", LocalDate.now().plusYears(2).toString())))));
        List<String> ids = new ArrayList<>();
        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            for (int i = 0; i < CASES; i++) {
                ApplicationSubmitted application = application("91350100M000100Y43", "榕城进出口贸易有限公司");
                publish(kafka, application);
                ids.add(application.applicationId().toString());
            }
            kafka.awaitUntil(seen -> ids.stream().allMatch(id -> seen.stream()
                    .anyMatch(r -> id.equals(r.key()) && r.text().contains("REFERRED"))), Duration.ofSeconds(60));
        }
        referred = new FuzzBodies.Pool(ids);
    }

    @Test
    void decidingACaseNeverAnswers5xx() {
        FuzzBodies.Run run = new FuzzBodies.Run(ENDPOINT);
        try {
            for (int i = 0; i < FuzzBodies.TRIES; i++) {
                Random random = run.random(i, "request");
                decide(run, i, run.body(i, DECISIONS), caller(random), casePath(random));
            }
        } finally {
            log.info("{} ({} of {} referred cases left undecided)", run.line(), referred.left(), CASES);
        }
    }

    /** Sends the decision as the caller, failing the test on a 5xx with the seed and index of the try. */
    private void decide(FuzzBodies.Run run, int index, FuzzBodies.Body body, Caller caller, String casePath) {
        int status = run.send(http, index, post("/api/reviews/" + casePath + "/decision"), body, caller, "").status();
        if (status < 300) {
            referred.usedUp(casePath::startsWith);
        }
    }

    /** Mostly a referred case at its revision; else unknown cases, other revisions, ids that are no ids. */
    private String casePath(Random random) {
        return switch (FuzzBodies.pick(random, 80, 8, 6, 6)) {
            case 0 -> referred.pick(random) + "/1";
            case 1 -> referred.pick(random) + "/" + FuzzBodies.oneOf(random, List.of("0", "2", "-1", "2147483648", "x", "１"));
            case 2 -> FuzzBodies.uuid(random) + "/1";
            default -> FuzzBodies.oneOf(random, List.of("not-a-uuid/1", "00000000-0000-0000-0000-000000000000/1", "%00/1", "../1",
                    "%E2%80%AE/1"));
        };
    }

    private static Caller caller(Random random) {
        return switch (FuzzBodies.pick(random, 70, 6, 4, 5, 15)) {
            case 0 -> FOREX_REVIEWER;
            case 1 -> TAX_REVIEWER;
            case 2 -> REVIEWER_OF_NO_AGENCY;
            case 3 -> APPLICANT;
            default -> FuzzBodies.oneOf(random, STRANGERS);
        };
    }
}
