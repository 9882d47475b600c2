package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.web.EportRole;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Referrals wait for a reviewer of the agency, who sees the registry's facts and the findings and
 * decides; a reviewer of another agency can neither see nor decide the case; the verdict records
 * who decided and when, signed by the agency.
 */
class ReviewsTest extends KitTest {

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;

    ApplicationSubmitted referred;

    @BeforeEach
    void aCaseTheRulesCannotDecide() {
        referred = application("91350100M000100Y43", "榕城进出口贸易有限公司");
        // The registry files the certificate under another name: a reviewer has to look.
        registry.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/certificates/lookup").willReturn(okJson(answer(
                record("91350100M000100Y43", "榕城进出口贸易（集团）有限公司", "VALID", LocalDate.now().plusYears(2).toString())))));
        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            publish(kafka, referred);
            kafka.awaitUntil(seen -> seen.stream().anyMatch(r -> r.key().equals(id()) && r.text().contains("REFERRED")),
                    Duration.ofSeconds(60));
        }
    }

    @Test
    void aReviewerOfTheAgencySeesTheCaseWithTheRegistrysFactsAndTheFindings() throws Exception {
        http.perform(MockMvcRequestBuilders.get("/api/reviews").with(reviewer("forex")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.applicationId == '" + id() + "')].reasons[0].code").value("FOREX_TEST_CERTIFICATE_NAME_MISMATCH"));

        http.perform(MockMvcRequestBuilders.get(casePath()).with(reviewer("forex")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("REFERRED"))
                .andExpect(jsonPath("$.registryFacts.certificate.holderName").value("榕城进出口贸易（集团）有限公司"))
                .andExpect(jsonPath("$.findings[0].code").value("FOREX_TEST_CERTIFICATE_NAME_MISMATCH"))
                .andExpect(jsonPath("$.application.legalRepresentative.maskedIdNumber").value("110***********002X"));
    }

    @Test
    void aReviewerOfAnotherAgencyCanNeitherSeeNorDecideTheCase() throws Exception {
        http.perform(MockMvcRequestBuilders.get("/api/reviews").with(reviewer("tax"))).andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.get(casePath()).with(reviewer("tax"))).andExpect(status().isForbidden());
        http.perform(decision("{\"outcome\": \"APPROVED\"}").with(reviewer("tax"))).andExpect(status().isForbidden());

        assertThat(state()).isEqualTo("REFERRED");
    }

    @Test
    void noOneButAReviewerMayLookAndNoOneWithoutATokenAtAll() throws Exception {
        http.perform(MockMvcRequestBuilders.get("/api/reviews").with(user("enterprise-1", EportRole.APPLICANT, null)))
                .andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.get("/api/reviews").with(user("ops-1", EportRole.OPS, "forex")))
                .andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.get("/api/reviews")).andExpect(status().isUnauthorized());
        http.perform(decision("{\"outcome\": \"APPROVED\"}")).andExpect(status().isUnauthorized());
    }

    @Test
    void aRejectionNeedsReasonsInTheAgencysOwnCodes() throws Exception {
        http.perform(decision("{\"outcome\": \"REJECTED\"}").with(reviewer("forex")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("reasons"));
        http.perform(decision("""
                        {"outcome": "REJECTED", "reasons": [{"code": "TAX_SOMETHING", "zh": "理由", "en": "why"}]}""")
                        .with(reviewer("forex")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("reasons[0].code"));
        http.perform(decision("{\"outcome\": \"REFERRED\"}").with(reviewer("forex")))
                .andExpect(status().isBadRequest());

        assertThat(state()).isEqualTo("REFERRED");
    }

    @Test
    void theReviewersDecisionIsTheFinalVerdictSignedByTheAgencyAndRecordsWhoDecidedAndWhen() throws Exception {
        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            http.perform(decision("""
                            {"outcome": "APPROVED", "reasons": []}""").with(reviewer("forex")))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.state").value("DECIDED"))
                    .andExpect(jsonPath("$.outcome").value("APPROVED"))
                    .andExpect(jsonPath("$.decidedBy").value("REVIEWER:reviewer-forex-1"));

            List<KafkaProbe.Record> verdicts = kafka.awaitUntil(seen -> seen.stream()
                    .anyMatch(r -> r.key().equals(id()) && r.text().contains("\"outcome\":\"APPROVED\"")), Duration.ofSeconds(30));
            String verdict = verdicts.stream().filter(r -> r.key().equals(id()) && r.text().contains("APPROVED")).findFirst()
                    .orElseThrow().text();
            assertThat(verdict).contains("\"decidedBy\":{\"kind\":\"REVIEWER\",\"id\":\"reviewer-forex-1\"}", "\"decidedAt\":\"",
                    "\"signature\":\"");
        }

        http.perform(decision("{\"outcome\": \"REJECTED\", \"reasons\": [{\"code\": \"FOREX_LATE\", \"zh\": \"迟\", \"en\": \"late\"}]}")
                        .with(reviewer("forex")))
                .andExpect(status().isConflict());
    }

    private String id() {
        return referred.applicationId().toString();
    }

    private String casePath() {
        return "/api/reviews/" + id() + "/1";
    }

    private String state() {
        return jdbc.sql("SELECT state FROM checks WHERE application_id = ?").param(referred.applicationId())
                .query(String.class).single();
    }

    private MockHttpServletRequestBuilder decision(String body) {
        return post(casePath() + "/decision").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static RequestPostProcessor reviewer(String agency) {
        return user("reviewer-" + agency + "-1", EportRole.REVIEWER, agency);
    }

    private static RequestPostProcessor user(String subject, EportRole role, String agency) {
        return jwt().jwt(token -> {
            token.subject(subject).claim("roles", List.of(role.name()));
            if (agency != null) {
                token.claim("agency", agency);
            }
        }).authorities(new SimpleGrantedAuthority(role.authority()));
    }
}
