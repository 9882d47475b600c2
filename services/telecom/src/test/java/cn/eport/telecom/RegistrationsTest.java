package cn.eport.telecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.Topics;
import cn.eport.identifiers.AppointmentSlipNumber;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Telecom on real Kafka and PostgreSQL, as the clerk at the counter meets it: it learns slips from
 * intake's events (handed to its consumer, and once through the broker), registers each
 * application once with a card no other enterprise holds, publishes one {@code TelecomRegistered},
 * and a retry with the same {@code Idempotency-Key} gets the first answer.
 */
@SpringBootTest(classes = TelecomApplication.class, properties = "spring.config.name=telecom")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class RegistrationsTest {

    private static final String REGISTRATIONS = "/api/registrations";
    private static final String ENTERPRISE_CODE = "M000100Y-4";
    private static final AtomicLong SLIPS = new AtomicLong(ThreadLocalRandom.current().nextLong(10_000_000, 90_000_000));
    private static final AtomicInteger CARDS = new AtomicInteger(ThreadLocalRandom.current().nextInt(100_000, 800_000));
    private static final AtomicLong OFFSETS = new AtomicLong();

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    @Qualifier("trackApplications")
    Consumer<Message<List<byte[]>>> trackApplications;

    private final String clerk = DevTokens.telecom("telecom-clerk-01");

    // --- 201 ---------------------------------------------------------------------------------

    @Test
    void aKnownSlipWithItsEnterprisesCodeIsRegisteredAndPublishesExactlyOneTelecomRegistered() throws Exception {
        Applied applied = applied();
        String card = card();
        try (KafkaProbe telecom = probe()) {
            register(applied.slip(), ENTERPRISE_CODE, card, clerk)
                    .andExpect(status().isCreated())
                    .andExpect(jsonPath("$.applicationId").value(applied.id().toString()))
                    .andExpect(jsonPath("$.enterpriseCode").value("M000100Y4"))
                    .andExpect(jsonPath("$.networkCardNumber").value(card))
                    .andExpect(jsonPath("$.registeredBy").value("telecom-clerk-01"));

            List<KafkaProbe.Record> published = published(telecom, applied);
            assertThat(published).singleElement().satisfies(record -> {
                assertThat(record.header(CloudEventHeaders.TYPE)).isEqualTo("cn.eport.telecom.registered.v1");
                assertThat(record.text()).contains("\"networkCardNumber\":\"" + card + "\"", "\"slipNumber\":\"" + applied.slip() + "\"");
            });
        }
        http.perform(get(REGISTRATIONS + "/" + applied.slip()).header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.ops("ops-1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.networkCardNumber").value(card));
    }

    // --- 400, 404, 409 -----------------------------------------------------------------------

    @Test
    void aSlipNumberWithAWrongCheckCharacterIs400NamingSlipNumber() throws Exception {
        String slip = applied().slip();
        String mistyped = slip.substring(0, 14) + (char) ('0' + (slip.charAt(14) - '0' + 1) % 10);

        register(mistyped, ENTERPRISE_CODE, card(), clerk)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("slipNumber"))
                .andExpect(jsonPath("$.errors[0].code").value("WRONG_CHECK_CHARACTER"));
    }

    @Test
    void theOrganisationCodeOfAnotherEnterpriseIs400NotThisEnterprise() throws Exception {
        Applied applied = applied();

        register(applied.slip(), "D2143569-X", card(), clerk)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterpriseCode"))
                .andExpect(jsonPath("$.errors[0].code").value("NOT_THIS_ENTERPRISE"));
        assertThat(registrationsOf(applied)).isZero();
    }

    @Test
    void aWithdrawnApplicationIs409() throws Exception {
        Applied applied = applied();
        deliver(new ApplicationWithdrawn(applied.id(), 1, Instant.now().truncatedTo(ChronoUnit.MILLIS), "enterprise-test"));

        register(applied.slip(), ENTERPRISE_CODE, card(), clerk)
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("The application of slip " + applied.slip() + " was withdrawn"));
        assertThat(registrationsOf(applied)).isZero();
    }

    @Test
    void aNetworkCardRegisteredToAnotherApplicationIs409() throws Exception {
        String card = card();
        register(applied().slip(), ENTERPRISE_CODE, card, clerk).andExpect(status().isCreated());
        Applied second = applied();

        register(second.slip(), ENTERPRISE_CODE, card, clerk)
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/conflict"));
        assertThat(registrationsOf(second)).isZero();
    }

    @Test
    void aSecondRegistrationOfTheSameSlipWithoutAKeyIs409AsBefore() throws Exception {
        Applied applied = applied();
        String card = card();
        register(applied.slip(), ENTERPRISE_CODE, card, clerk).andExpect(status().isCreated());

        register(applied.slip(), ENTERPRISE_CODE, card, clerk).andExpect(status().isConflict());
        assertThat(registrationsOf(applied)).isEqualTo(1);
    }

    @Test
    void aSlipWhoseApplicationHasNotArrivedIs404AndRegistersOnceIntakesEventArrivesThroughTheBroker() throws Exception {
        Applied applied = new Applied(UUID.randomUUID(), AppointmentSlipNumber.of(2026, SLIPS.incrementAndGet()));
        String card = card();
        register(applied.slip(), ENTERPRISE_CODE, card, clerk)
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/not-found"));

        ApplicationSubmitted submitted = submitted(applied);
        try (KafkaProbe intake = probe()) {
            intake.sendAs("intake", Topics.APPLICATIONS, applied.id().toString(),
                    CloudEventHeaders.of(submitted, UUID.randomUUID().toString(), "/eport/intake", Instant.now()),
                    json.writeValueAsBytes(submitted));
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int status;
        do {
            Thread.sleep(200);
            status = register(applied.slip(), ENTERPRISE_CODE, card, clerk).andReturn().getResponse().getStatus();
        } while (status == 404 && Instant.now().isBefore(deadline));
        assertThat(status).isEqualTo(201);
        assertThat(registrationsOf(applied)).isEqualTo(1);
    }

    // --- 401, 403 ----------------------------------------------------------------------------

    @Test
    void anApplicantMayNotRegister403() throws Exception {
        Applied applied = applied();

        register(applied.slip(), ENTERPRISE_CODE, card(), DevTokens.applicant("enterprise-1"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/forbidden"));
        assertThat(registrationsOf(applied)).isZero();
    }

    @Test
    void withoutATokenIs401() throws Exception {
        http.perform(post(REGISTRATIONS).contentType(MediaType.APPLICATION_JSON)
                        .content(body(applied().slip(), ENTERPRISE_CODE, card())))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/unauthenticated"));
    }

    // --- Idempotency-Key ---------------------------------------------------------------------

    @Test
    void aRepeatWithTheSameIdempotencyKeyGetsTheFirstAnswerRegistersOnceAndPublishesOnce() throws Exception {
        Applied applied = applied();
        String card = card();
        String key = UUID.randomUUID().toString();
        try (KafkaProbe telecom = probe()) {
            MockHttpServletResponse first = registerWithKey(key, applied.slip(), card);
            MockHttpServletResponse repeat = registerWithKey(key, applied.slip(), card);

            assertThat(first.getStatus()).isEqualTo(201);
            assertThat(repeat.getStatus()).isEqualTo(201);
            assertThat(repeat.getContentAsString()).isEqualTo(first.getContentAsString());
            assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThat(registrationsOf(applied)).isEqualTo(1);
            assertThat(published(telecom, applied)).hasSize(1);
        }
    }

    @Test
    void theSameIdempotencyKeyWithAnotherCardIs422AndRegistersNothingMore() throws Exception {
        Applied applied = applied();
        String card = card();
        String key = UUID.randomUUID().toString();
        registerWithKey(key, applied.slip(), card);

        http.perform(post(REGISTRATIONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + clerk).header("Idempotency-Key", key)
                        .contentType(MediaType.APPLICATION_JSON).content(body(applied.slip(), ENTERPRISE_CODE, card())))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/idempotency-key-reused"));
        assertThat(jdbc.sql("SELECT network_card_number FROM registrations WHERE application_id = ?").param(applied.id())
                .query(String.class).list()).containsExactly(card);
    }

    @Test
    void concurrentRetriesWithOneIdempotencyKeyRegisterOnceAndAllGetTheSameAnswer() throws Exception {
        Applied applied = applied();
        String card = card();
        String key = UUID.randomUUID().toString();
        ExecutorService clerks = Executors.newFixedThreadPool(6);
        List<MockHttpServletResponse> answers = new ArrayList<>();
        try {
            List<Future<MockHttpServletResponse>> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(clerks.submit(() -> registerWithKey(key, applied.slip(), card)));
            }
            for (Future<MockHttpServletResponse> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            clerks.shutdownNow();
        }

        List<String> bodies = new ArrayList<>();
        for (MockHttpServletResponse answer : answers) {
            bodies.add(answer.getContentAsString());
        }
        assertThat(answers).extracting(MockHttpServletResponse::getStatus).containsOnly(201);
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(answers).filteredOn(answer -> answer.getHeader("Idempotent-Replayed") == null).hasSize(1);
        assertThat(registrationsOf(applied)).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyLongerThan255CharactersIs400() throws Exception {
        Applied applied = applied();

        assertThat(registerWithKey("k".repeat(256), applied.slip(), card()).getContentAsString())
                .contains("\"field\":\"Idempotency-Key\"", "WRONG_LENGTH");
        assertThat(registrationsOf(applied)).isZero();
    }

    @Test
    void theOpenApiDocumentDescribesTheIdempotencyKeyHeaderOfRegistration() throws Exception {
        http.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/registrations'].post.parameters[?(@.name == 'Idempotency-Key')].in").value("header"))
                .andExpect(jsonPath("$.paths['/api/registrations'].post.responses['422']").exists());
    }

    // -----------------------------------------------------------------------------------------

    private record Applied(UUID id, String slip) {
    }

    /** An application intake submitted, as telecom's consumer receives it. */
    private Applied applied() {
        Applied applied = new Applied(UUID.randomUUID(), AppointmentSlipNumber.of(2026, SLIPS.incrementAndGet()));
        deliver(submitted(applied));
        return applied;
    }

    /** Hands {@code event} to the service's consumer as the Kafka binder hands it a batch of one record. */
    private void deliver(ApplicationEvent event) {
        byte[] value = json.writeValueAsBytes(event);
        String key = event.applicationId().toString();
        trackApplications.accept(MessageBuilder.withPayload(List.of(value))
                .setHeader(KafkaHeaders.RECEIVED_TOPIC, List.of(Topics.of(event)))
                .setHeader(KafkaHeaders.RECEIVED_PARTITION, List.of(0))
                .setHeader(KafkaHeaders.OFFSET, List.of(OFFSETS.incrementAndGet()))
                .setHeader(KafkaHeaders.RECEIVED_KEY, List.of(event.applicationId().toString()))
                .setHeader(KafkaHeaders.BATCH_CONVERTED_HEADERS,
                        List.of(DevKeys.signedAsTopicWriter(Topics.of(event), key,
                                CloudEventHeaders.of(event, UUID.randomUUID().toString(), "/eport/intake", Instant.now()), value)))
                .build());
    }

    private ResultActions register(String slip, String enterpriseCode, String card, String token) throws Exception {
        return http.perform(post(REGISTRATIONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body(slip, enterpriseCode, card)));
    }

    private MockHttpServletResponse registerWithKey(String key, String slip, String card) throws Exception {
        MockHttpServletRequestBuilder request = post(REGISTRATIONS).header(HttpHeaders.AUTHORIZATION, "Bearer " + clerk)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body(slip, ENTERPRISE_CODE, card));
        return http.perform(request).andReturn().getResponse();
    }

    private static String body(String slip, String enterpriseCode, String card) {
        return "{\"slipNumber\": \"" + slip + "\", \"enterpriseCode\": \"" + enterpriseCode + "\", \"networkCardNumber\": \"" + card + "\"}";
    }

    private int registrationsOf(Applied applied) {
        return jdbc.sql("SELECT count(*) FROM registrations WHERE application_id = ?").param(applied.id()).query(Integer.class).single();
    }

    /** What reached eport.telecom for the application: waits for the first record, then two quiet seconds for any other. */
    private static List<KafkaProbe.Record> published(KafkaProbe telecom, Applied applied) {
        String key = applied.id().toString();
        telecom.awaitUntil(seen -> seen.stream().anyMatch(record -> key.equals(record.key())), Duration.ofSeconds(30));
        return telecom.readFor(Duration.ofSeconds(2)).stream().filter(record -> key.equals(record.key())).toList();
    }

    private static KafkaProbe probe() {
        return new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.TELECOM));
    }

    private static String card() {
        return "17999" + CARDS.incrementAndGet();
    }

    private static ApplicationSubmitted submitted(Applied applied) {
        return new ApplicationSubmitted(applied.id(), 1, applied.slip(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Channel.ONLINE, "enterprise-test",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", ENTERPRISE_CODE,
                        "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
                        "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0021", "BG35010001")));
    }
}
