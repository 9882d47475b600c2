package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * A reviewer's reasons are text the applicant reads and the agency signs: a control or
 * bidirectional character in one is a 400 naming the field, and the case stays referred. A NUL
 * used to reach the jsonb column of the decision and fail there with a 500.
 */
class ReviewsControlCharacterTest extends KitTest {

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aNulOrARightToLeftOverrideInAReasonIsA400NamingTheFieldAndTheCaseStaysReferred() throws Exception {
        ApplicationSubmitted referred = referredCase();
        String decision = "/api/reviews/" + referred.applicationId() + "/1/decision";

        decide(decision, "{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_NAME\", \"zh\": \"名称不符\\u0000\", \"en\": \"name\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("reasons[0].zh"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"))
                .andExpect(jsonPath("$.errors[0].message", containsString("U+0000 (NULL)")));
        decide(decision, "{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_NAME\", \"zh\": \"名称不符\", \"en\": \"\\u202Eeman\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("reasons[0].en"))
                .andExpect(jsonPath("$.errors[0].message", containsString("RIGHT-TO-LEFT OVERRIDE")));

        assertThat(jdbc.sql("SELECT state FROM checks WHERE application_id = ?").param(referred.applicationId())
                .query(String.class).single()).isEqualTo("REFERRED");
    }

    /** An application the kit refers: the registry files its certificate under another name. */
    private static ApplicationSubmitted referredCase() {
        ApplicationSubmitted referred = application("91350100M000100Y43", "榕城进出口贸易有限公司");
        registry.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/certificates/lookup").willReturn(okJson(answer(
                record("91350100M000100Y43", "榕城进出口贸易（集团）有限公司", "VALID", LocalDate.now().plusYears(2).toString())))));
        String id = referred.applicationId().toString();
        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            publish(kafka, referred);
            kafka.awaitUntil(seen -> seen.stream().anyMatch(r -> r.key().equals(id) && r.text().contains("REFERRED")),
                    Duration.ofSeconds(60));
        }
        return referred;
    }

    private ResultActions decide(String path, String body) throws Exception {
        return http.perform(post(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.reviewer("reviewer-forex-cc", "forex"))
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
