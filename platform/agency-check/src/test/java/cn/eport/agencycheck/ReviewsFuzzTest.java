package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestContextManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Whatever decision body anyone sends to the review queue, the answer is never a 5xx: a thousand
 * generated bodies ({@link FuzzBodies}) around valid approvals and rejections, mostly for cases the
 * kit has really referred (so that the first valid decision of each is signed, stored and
 * published), from the agency's reviewer, another agency's, other roles and callers without a valid
 * token, on real PostgreSQL and Kafka.
 *
 * <p>Spring's test context is that of the other kit tests ({@link KitTest}), loaded through
 * {@link TestContextManager} because jqwik runs no JUnit extensions.
 */
class ReviewsFuzzTest extends KitTest {

    private static final Logger log = LoggerFactory.getLogger(ReviewsFuzzTest.class);
    private static final String ENDPOINT = "POST /api/reviews/{applicationId}/{revision}/decision";
    private static final int CASES = 60;
    private static final String REVIEWER_TOKEN = "Bearer " + DevTokens.reviewer("reviewer-forex-fuzz", "forex");

    private static MockMvc http;
    /** Cases waiting for a reviewer: the first valid decision of each gets through. */
    private static FuzzBodies.Pool referred;

    private final FuzzBodies.Tally tally = new FuzzBodies.Tally();

    /** Who calls: a name for the report, and the Authorization header (none when null). */
    record Caller(String who, @Nullable String authorization) {
    }

    @BeforeContainer
    static void casesWaitingForAReviewer() {
        http = new TestContextManager(ReviewsFuzzTest.class).getTestContext().getApplicationContext().getBean(MockMvc.class);
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

    @Property(tries = 1000)
    void decidingACaseNeverAnswers5xx(@ForAll("decisions") FuzzBodies.Body body, @ForAll("callers") Caller caller,
            @ForAll("cases") String casePath) {
        MockHttpServletRequestBuilder request = post("/api/reviews/" + casePath + "/decision").content(body.bytes());
        if (body.contentType() != null) {
            request.header(HttpHeaders.CONTENT_TYPE, body.contentType());
        }
        if (caller.authorization() != null) {
            request.header(HttpHeaders.AUTHORIZATION, caller.authorization());
        }
        int status;
        String answer;
        try {
            MockHttpServletResponse response = http.perform(request).andReturn().getResponse();
            status = response.getStatus();
            answer = response.getContentAsString();
        } catch (Exception escaped) {
            // Thrown out of the filter chain: a servlet container would answer 500.
            log.error("{} {} by {} escaped as an exception", ENDPOINT, body, caller.who(), escaped);
            status = 500;
            answer = escaped.toString();
        }
        tally.add(status);
        assertThat(status).as("POST /api/reviews/%s/decision %s by %s answered %s", casePath, body, caller.who(), answer)
                .isLessThan(500);
        if (status < 300) {
            referred.usedUp(id -> casePath.startsWith(id));
        }
    }

    @AfterProperty
    void reportTheAnswers() {
        log.info("{} ({} of {} referred cases left undecided)", tally.line(ENDPOINT), referred.left(), CASES);
    }

    @Provide
    Arbitrary<FuzzBodies.Body> decisions() {
        return FuzzBodies.around(List.of("{\"outcome\": \"APPROVED\"}", "{\"outcome\": \"APPROVED\", \"reasons\": []}",
                "{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_TEST_CERTIFICATE_NAME_MISMATCH\", "
                        + "\"zh\": \"外汇登记证上的名称与企业名称不符\", \"en\": \"the name on the forex certificate is not the enterprise's\"}]}",
                "{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_A\", \"zh\": \"一\", \"en\": \"one\"}, "
                        + "{\"code\": \"FOREX_B\", \"zh\": \"二\", \"en\": \"two\"}]}"));
    }

    /** Mostly a referred case at its revision; else unknown cases, other revisions, ids that are no ids. */
    @Provide
    Arbitrary<String> cases() {
        return Arbitraries.frequencyOf(
                Tuple.of(80, referred.arbitrary().map(id -> id + "/1")),
                Tuple.of(8, referred.arbitrary().flatMap(id -> Arbitraries.of("0", "2", "-1", "2147483648", "x", "１")
                        .map(revision -> id + "/" + revision))),
                Tuple.of(6, Arbitraries.create(() -> UUID.randomUUID() + "/1")),
                Tuple.of(6, Arbitraries.of("not-a-uuid/1", "00000000-0000-0000-0000-000000000000/1", "%00/1", "../1", "%E2%80%AE/1")));
    }

    @Provide
    Arbitrary<Caller> callers() {
        String valid = DevTokens.reviewer("reviewer-forex-fuzz", "forex");
        return Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.just(new Caller("the forex reviewer", REVIEWER_TOKEN))),
                Tuple.of(6, Arbitraries.just(new Caller("a tax reviewer", "Bearer " + DevTokens.reviewer("reviewer-tax-fuzz", "tax")))),
                Tuple.of(4, Arbitraries.just(new Caller("a reviewer of no agency",
                        "Bearer " + DevTokens.token("reviewer-none", List.of("REVIEWER"), null)))),
                Tuple.of(5, Arbitraries.just(new Caller("an applicant", "Bearer " + DevTokens.applicant("enterprise-fuzz")))),
                Tuple.of(15, Arbitraries.of(new Caller("no one", null), new Caller("a garbage token", "Bearer not.a.token"),
                        new Caller("a tampered token", "Bearer " + valid.substring(0, valid.length() - 4) + "AAAA"),
                        new Caller("another scheme", "Basic ZnV6ejpmdXp6"), new Caller("an empty bearer", "Bearer "))));
    }
}
