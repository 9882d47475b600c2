package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CheckEscalated;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.MovableClock;
import cn.eport.web.EportRole;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The statutory clock over National Day 2026, driven by the service's clock: a check the rules
 * referred, accepted on Wednesday 30 September at 10:00, has a limit of 3 working days. 1 to 7
 * October are holidays and Saturday 10 October is a make-up working day, so its 72 working hours
 * are 14 on the 30th, 24 on the 8th and 9th and 10 on the 10th: warned at 80 % (57.6 h) on Friday
 * the 9th at 19:36, breached on Saturday the 10th at 10:00. Counted Monday to Friday, it would have
 * breached on 5 October. The hour it waited on a registry outage counts, and is shown on its own.
 */
class StatutoryClockTest extends KitTest {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MovableClock clock;
    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
        registry.resetMappings();
    }

    @Test
    void aReferredCheckIsWarnedAndBreachedOnWorkingTimeOverNationalDayAndTopsTheReviewersQueue() throws Exception {
        clock.setTo(china("2026-09-30T10:00"));
        ApplicationSubmitted late = application("91350100M000100Y43", "榕城进出口贸易有限公司");
        try (KafkaProbe kafka = probe(Topics.deadlines(Agency.FOREX))) {
            // The registry is down when the check is accepted: it is parked for an hour of working time.
            registry.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/certificates/lookup")
                    .willReturn(aResponse().withStatus(503)));
            publish(kafka, late);
            await(() -> "PENDING".equals(state(late)) && parked(late), Duration.ofSeconds(60));
            clock.setTo(china("2026-09-30T11:00"));
            // It answers with the certificate under another name: a reviewer has to look.
            registry.resetMappings();
            registry.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/certificates/lookup").willReturn(okJson(answer(
                    record("91350100M000100Y43", "榕城进出口贸易（集团）有限公司", "VALID", "2030-01-01")))));
            await(() -> "REFERRED".equals(state(late)), Duration.ofSeconds(60));
            // Accepted a moment after 10:00, the time the record took to arrive: the clock runs on from where it is set.
            assertThat(jdbc.sql("SELECT deadline_at FROM checks WHERE application_id = ?").param(late.applicationId())
                    .query(java.sql.Timestamp.class).single().toInstant())
                    .isBetween(china("2026-10-10T10:00"), china("2026-10-10T10:00:30"));

            // The last evening of the holiday: eight days on the calendar, 14 working hours on the clock.
            clock.setTo(china("2026-10-07T23:59"));
            assertThat(escalationsOf(kafka.readFor(Duration.ofSeconds(2)), late)).isEmpty();

            clock.setTo(china("2026-10-09T19:40"));
            CheckEscalated warning = escalationsOf(kafka.awaitUntil(seen -> !escalationsOf(seen, late).isEmpty(),
                    Duration.ofSeconds(30)), late).get(0);
            assertThat(warning.level()).isEqualTo(CheckEscalated.Level.WARNING);
            assertThat(warning.deadline()).isBetween(china("2026-10-10T10:00"), china("2026-10-10T10:00:30"));
            assertThat(warning.timeLimitWorkingDays()).isEqualTo(3);
            assertThat(warning.waitingFor()).isEqualTo(CheckEscalated.WaitingFor.REVIEWER);
            assertThat(warning.workingHoursUsed()).isBetween(57.6, 58.0);
            assertThat(warning.registryOutageWorkingHours()).isBetween(0.99, 1.05);

            // A second case, referred later that evening: not breached, so below the first in the queue.
            ApplicationSubmitted fresh = application("91350100M000100Y43", "榕城进出口贸易有限公司");
            publish(kafka, fresh);
            await(() -> "REFERRED".equals(state(fresh)), Duration.ofSeconds(60));

            clock.setTo(china("2026-10-10T10:00:30"));
            List<CheckEscalated> raised = escalationsOf(kafka.awaitUntil(seen -> escalationsOf(seen, late).size() >= 2,
                    Duration.ofSeconds(30)), late);
            assertThat(raised).extracting(CheckEscalated::level)
                    .containsExactly(CheckEscalated.Level.WARNING, CheckEscalated.Level.BREACH);
            assertThat(raised.get(1).workingHoursUsed()).isBetween(72.0, 72.1);

            http.perform(MockMvcRequestBuilders.get("/api/reviews").with(reviewer("forex")))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$[0].applicationId").value(late.applicationId().toString()))
                    .andExpect(jsonPath("$[0].breached").value(true))
                    .andExpect(jsonPath("$[?(@.applicationId == '" + fresh.applicationId() + "')].breached").value(false));
            http.perform(MockMvcRequestBuilders.get("/api/clock").with(reviewer("forex")))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.timeLimitWorkingDays").value(3))
                    .andExpect(jsonPath("$.escalated[0].applicationId").value(late.applicationId().toString()))
                    .andExpect(jsonPath("$.escalated[0].breached").value(true));

            // Decided at 12:00 on the make-up Saturday: 74 working hours, late; the report of October says so.
            clock.setTo(china("2026-10-10T12:00"));
            http.perform(MockMvcRequestBuilders.post("/api/reviews/" + late.applicationId() + "/1/decision").with(reviewer("forex"))
                            .contentType(MediaType.APPLICATION_JSON).content("{\"outcome\": \"APPROVED\"}"))
                    .andExpect(status().isOk());
            http.perform(MockMvcRequestBuilders.get("/api/clock/report?from=2026-10").with(ops()))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$[0].month").value("2026-10"))
                    .andExpect(jsonPath("$[0].decided").value(1))
                    .andExpect(jsonPath("$[0].decidedOnTime").value(0))
                    .andExpect(jsonPath("$[0].breaches").value(1))
                    .andExpect(jsonPath("$[0].medianWorkingHours").value(74.0))
                    .andExpect(jsonPath("$[0].registryOutageWorkingHours").value(1.0));
            http.perform(MockMvcRequestBuilders.get("/api/clock/report?from=2026-10&format=csv").with(ops()))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith("text/csv"))
                    .andExpect(content().string(ClockReport.CSV_HEADER + "\r\nforex,2026-10,3,1,0,0.0,74.0,74.0,1.0,1\r\n"));
            // No escalation is raised for a decided check, however long the clock runs on.
            clock.setTo(china("2026-10-20T12:00"));
            assertThat(escalationsOf(kafka.readFor(Duration.ofSeconds(2)), late)).hasSize(2);
        }
    }

    @Test
    void onlyTheAgencysReviewersAndTheLiaisonOfficeSeeItsClock() throws Exception {
        http.perform(MockMvcRequestBuilders.get("/api/clock").with(reviewer("tax"))).andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.get("/api/clock/report").with(reviewer("tax"))).andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.get("/api/clock").with(jwt().jwt(token -> token.subject("enterprise-1")
                        .claim("roles", List.of(EportRole.APPLICANT.name())))
                .authorities(new SimpleGrantedAuthority(EportRole.APPLICANT.authority())))).andExpect(status().isForbidden());
        http.perform(MockMvcRequestBuilders.get("/api/clock")).andExpect(status().isUnauthorized());
        http.perform(MockMvcRequestBuilders.get("/api/clock/report?from=2026-13").with(ops())).andExpect(status().isBadRequest());
        http.perform(MockMvcRequestBuilders.get("/api/clock/report?from=2024-01&to=2026-12").with(ops())).andExpect(status().isBadRequest());
    }

    private static Instant china(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(CHINA).toInstant();
    }

    private static List<CheckEscalated> escalationsOf(List<KafkaProbe.Record> records, ApplicationSubmitted application) {
        return records.stream().filter(r -> r.key().equals(application.applicationId().toString()))
                .map(r -> JSON.readValue(r.value(), CheckEscalated.class)).toList();
    }

    private String state(ApplicationSubmitted application) {
        return jdbc.sql("SELECT state FROM checks WHERE application_id = ?").param(application.applicationId())
                .query(String.class).optional().orElse(null);
    }

    private boolean parked(ApplicationSubmitted application) {
        return jdbc.sql("SELECT parked_since IS NOT NULL FROM checks WHERE application_id = ?").param(application.applicationId())
                .query(Boolean.class).single();
    }

    private static RequestPostProcessor reviewer(String agency) {
        return jwt().jwt(token -> token.subject("reviewer-" + agency + "-1").claim("roles", List.of(EportRole.REVIEWER.name()))
                .claim("agency", agency)).authorities(new SimpleGrantedAuthority(EportRole.REVIEWER.authority()));
    }

    private static RequestPostProcessor ops() {
        return jwt().jwt(token -> token.subject("ops-01").claim("roles", List.of(EportRole.OPS.name())))
                .authorities(new SimpleGrantedAuthority(EportRole.OPS.authority()));
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
