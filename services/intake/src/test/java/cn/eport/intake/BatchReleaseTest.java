package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.Topics;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import cn.eport.web.EportRole;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Intake on real Kafka and PostgreSQL in batch mode, the seed's monthly joint processing: a
 * submission is held, nothing reaches the agencies until the release, and then it does.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake",
        "eport.intake.release.mode=BATCH", "server.port=0"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class BatchReleaseTest {

    @Autowired
    MockMvc http;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void inBatchModeASubmissionIsHeldUntilTheReleaseAndThenReachesTheAgencies() throws Exception {
        String body = http.perform(post("/api/applications").with(user("enterprise-batch", EportRole.APPLICANT))
                        .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().json()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("HELD"))
                .andReturn().getResponse().getContentAsString();
        String id = json.readTree(body).get("applicationId").asString();

        try (KafkaProbe applications = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(),
                List.of(Topics.APPLICATIONS))) {
            assertThat(applications.readFor(Duration.ofSeconds(2))).noneMatch(r -> id.equals(r.key()));

            http.perform(post("/api/releases").with(user("ops-1", EportRole.APPLICANT))).andExpect(status().isForbidden());
            http.perform(post("/api/releases").with(user("ops-1", EportRole.OPS)))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.released").value(1));

            List<KafkaProbe.Record> released = applications.awaitUntil(seen -> seen.stream().anyMatch(r -> id.equals(r.key())),
                    Duration.ofSeconds(30));
            assertThat(released.stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow().header("ce_type"))
                    .isEqualTo("cn.eport.application.submitted.v1");
        }
        http.perform(get("/api/applications/" + id).with(user("enterprise-batch", EportRole.APPLICANT)))
                .andExpect(jsonPath("$.status").value("SUBMITTED"));
        http.perform(get("/api/applications/" + id + "/timeline").with(user("enterprise-batch", EportRole.APPLICANT)))
                .andExpect(jsonPath("$[1].what").value("RELEASED"));
    }

    /** A month's backlog goes out in transactions of {@link Releases#RELEASE_CHUNK}: every held revision once, none twice. */
    @Test
    void aBacklogLargerThanAChunkIsReleasedWholeAndEachApplicationOnce() throws Exception {
        int count = 2 * Releases.RELEASE_CHUNK + 203;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String body = http.perform(post("/api/applications").with(user("enterprise-backlog-" + i, EportRole.APPLICANT))
                            .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().json()))
                    .andExpect(status().isCreated())
                    .andReturn().getResponse().getContentAsString();
            ids.add(json.readTree(body).get("applicationId").asString());
        }

        try (KafkaProbe applications = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(),
                List.of(Topics.APPLICATIONS))) {
            String released = http.perform(post("/api/releases").with(user("ops-1", EportRole.OPS)))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(json.readTree(released).get("released").asInt()).isGreaterThanOrEqualTo(count);

            List<KafkaProbe.Record> seen = applications.awaitUntil(
                    records -> records.stream().map(KafkaProbe.Record::key).filter(ids::contains).distinct().count() == count,
                    Duration.ofSeconds(60));
            Map<String, Long> copies = seen.stream().filter(r -> ids.contains(r.key()))
                    .collect(Collectors.groupingBy(KafkaProbe.Record::key, Collectors.counting()));
            assertThat(copies).hasSize(count).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        }
        String again = http.perform(post("/api/releases").with(user("ops-1", EportRole.OPS)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(again).get("released").asInt()).isZero();
    }

    private static RequestPostProcessor user(String subject, EportRole role) {
        return jwt().jwt(token -> token.subject(subject).claim("roles", List.of(role.name())))
                .authorities(new SimpleGrantedAuthority(role.authority()));
    }
}
