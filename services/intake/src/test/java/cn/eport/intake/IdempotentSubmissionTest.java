package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submitting with an {@code Idempotency-Key}, on real Kafka and PostgreSQL: an applicant whose
 * connection dropped can send the form again and gets its application, not a second one.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class IdempotentSubmissionTest {

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;

    private final JsonMapper json = JsonMapper.builder().build();
    private final String enterprise = "enterprise-" + UUID.randomUUID();

    @Test
    void aRepeatedSubmissionWithTheSameKeyGetsTheFirstAnswerAndMakesOneApplicationAndOneEvent() throws Exception {
        String key = UUID.randomUUID().toString();
        try (KafkaProbe applications = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(),
                List.of(Topics.APPLICATIONS))) {
            MockHttpServletResponse first = submit(enterprise, key, SampleForm.valid());
            MockHttpServletResponse repeat = submit(enterprise, key, SampleForm.valid());

            assertThat(first.getStatus()).isEqualTo(201);
            assertThat(repeat.getStatus()).isEqualTo(201);
            assertThat(repeat.getHeader(HttpHeaders.LOCATION)).isEqualTo(first.getHeader(HttpHeaders.LOCATION));
            assertThat(repeat.getContentAsString()).isEqualTo(first.getContentAsString());
            assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThat(applicationsOf(enterprise)).isEqualTo(1);

            String id = json.readTree(first.getContentAsString()).get("applicationId").asString();
            applications.awaitUntil(seen -> seen.stream().anyMatch(r -> id.equals(r.key())), Duration.ofSeconds(30));
            assertThat(applications.readFor(Duration.ofSeconds(2))).filteredOn(r -> id.equals(r.key()))
                    .singleElement().extracting(r -> r.header("ce_type")).isEqualTo("cn.eport.application.submitted.v1");
        }
    }

    @Test
    void theSameKeyWithAnotherFormIs422AndSubmitsNothingMore() throws Exception {
        String key = UUID.randomUUID().toString();
        submit(enterprise, key, SampleForm.valid());

        MockHttpServletResponse other = submit(enterprise, key, SampleForm.valid().with("enterprise.address", "福州市台江区八一七中路2号"));

        assertThat(other.getStatus()).isEqualTo(422);
        assertThat(other.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(other.getContentAsString()).contains("https://eport.cn/problems/idempotency-key-reused");
        assertThat(applicationsOf(enterprise)).isEqualTo(1);
    }

    @Test
    void aRefusedFormKeepsNoKeySoTheCorrectedFormWithTheSameKeyIsSubmitted() throws Exception {
        String key = UUID.randomUUID().toString();
        MockHttpServletResponse refused = submit(enterprise, key, SampleForm.valid().with("enterprise.organisationCode", "M000100Y-5"));
        assertThat(refused.getStatus()).isEqualTo(400);

        MockHttpServletResponse corrected = submit(enterprise, key, SampleForm.valid());

        assertThat(corrected.getStatus()).isEqualTo(201);
        assertThat(corrected.getHeader("Idempotent-Replayed")).isNull();
        assertThat(applicationsOf(enterprise)).isEqualTo(1);
    }

    @Test
    void twoEnterprisesSendingTheSameKeyEachGetTheirOwnApplication() throws Exception {
        String key = "application-2026-001";
        String other = "enterprise-" + UUID.randomUUID();

        MockHttpServletResponse mine = submit(enterprise, key, SampleForm.valid());
        MockHttpServletResponse theirs = submit(other, key, SampleForm.valid());

        assertThat(theirs.getStatus()).isEqualTo(201);
        assertThat(theirs.getHeader(HttpHeaders.LOCATION)).isNotEqualTo(mine.getHeader(HttpHeaders.LOCATION));
        assertThat(applicationsOf(enterprise)).isEqualTo(1);
        assertThat(applicationsOf(other)).isEqualTo(1);
    }

    @Test
    void aKeyOfMoreThan255CharactersIs400NamingTheHeaderAndSubmitsNothing() throws Exception {
        MockHttpServletResponse refused = submit(enterprise, "k".repeat(256), SampleForm.valid());

        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getContentAsString()).contains("\"field\":\"Idempotency-Key\"", "\"code\":\"WRONG_LENGTH\"");
        assertThat(applicationsOf(enterprise)).isZero();
    }

    @Test
    void withoutAKeyEverySubmissionIsAnApplicationAsBefore() throws Exception {
        for (int i = 0; i < 2; i++) {
            MockHttpServletResponse answer = http.perform(post("/api/applications")
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.applicant(enterprise))
                            .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().json()))
                    .andReturn().getResponse();
            assertThat(answer.getStatus()).isEqualTo(201);
        }
        assertThat(applicationsOf(enterprise)).isEqualTo(2);
    }

    private MockHttpServletResponse submit(String account, String key, SampleForm form) throws Exception {
        MockHttpServletRequestBuilder request = post("/api/applications")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.applicant(account))
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(form.json());
        return http.perform(request).andReturn().getResponse();
    }

    private int applicationsOf(String account) {
        return jdbc.sql("SELECT count(*) FROM applications WHERE owner = ?").param(account).query(Integer.class).single();
    }
}
