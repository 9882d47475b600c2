package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.json.JsonMapper;

/**
 * The applicant's contact gets the decisions it must act on by mail, in Chinese and English, from
 * intake on real PostgreSQL and Kafka through a real SMTP server in the JVM (GreenMail): a rejection
 * with its reasons, once however often the verdict is redelivered; the approval of all six with what
 * to bring. No personal ID number is whole in a mail.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0",
        "eport.mail.poll-interval=100ms"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class DecisionMailsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
            .withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry properties) {
        properties.add("spring.mail.host", () -> "127.0.0.1");
        properties.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    }

    @Autowired
    MockMvc http;

    @Test
    void aRejectionReachesTheContactAsAMailAPersonReadsWithItsReasonsOnce() throws Exception {
        String contact = "contact-" + UUID.randomUUID() + "@example.com";
        UUID application = submit(contact);
        Reason reason = new Reason("TAX_REGISTRATION_NAME_MISMATCH", "税务登记证上的法定代表人（身份证 " + SampleForm.RESIDENT_ID_NUMBER
                + "）与申请不符", "the tax registration names another legal representative (ID " + SampleForm.RESIDENT_ID_NUMBER + ")");
        VerdictIssued rejection = verdict(application, Agency.TAX, Outcome.REJECTED, reason);
        String eventId = UUID.randomUUID().toString();
        publish(rejection, eventId);
        // Redelivered, and published again under a new id: still one mail.
        publish(rejection, eventId);
        publish(rejection, UUID.randomUUID().toString());

        MimeMessage mail = await().atMost(PATIENCE).until(() -> to(contact), list -> !list.isEmpty()).get(0);
        String body = mail.getContent().toString();
        assertThat(mail.getSubject()).contains("未通过", "not approved");
        assertThat(body).contains("国家税务局", "State Taxation Bureau", "TAX_REGISTRATION_NAME_MISMATCH",
                "税务登记证上的法定代表人", "the tax registration names another legal representative", "110***********002X");
        assertThat(body + mail.getSubject()).doesNotContain(SampleForm.RESIDENT_ID_NUMBER);
        Thread.sleep(1_000);
        assertThat(to(contact)).hasSize(1);
    }

    @Test
    void theApprovalOfAllSixSaysWhatToBringToTelecomAndCustoms() throws Exception {
        String contact = "contact-" + UUID.randomUUID() + "@example.com";
        UUID application = submit(contact);
        for (Agency agency : Agency.values()) {
            publish(verdict(application, agency, Outcome.APPROVED), UUID.randomUUID().toString());
        }

        MimeMessage mail = await().atMost(PATIENCE).until(() -> to(contact), list -> !list.isEmpty()).get(0);
        String body = mail.getContent().toString();
        assertThat(body).contains("17999", "电信", "海关", "customs", "林晓明", "110***********002X")
                .doesNotContain(SampleForm.RESIDENT_ID_NUMBER);
        Thread.sleep(1_000);
        assertThat(to(contact)).hasSize(1);
    }

    @Test
    void anApplicationWithoutAContactEmailGetsNoMailAndABadAddressIsRefusedAtTheDoor() throws Exception {
        http.perform(MockMvcRequestBuilders.post("/api/applications").header("Authorization", "Bearer " + DevTokens.applicant("enterprise-mail"))
                        .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().with("enterprise.contactEmail", "not an address").json()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isBadRequest());
    }

    private UUID submit(String contact) throws Exception {
        String answer = http.perform(MockMvcRequestBuilders.post("/api/applications")
                        .header("Authorization", "Bearer " + DevTokens.applicant("enterprise-mail-" + UUID.randomUUID()))
                        .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().with("enterprise.contactEmail", contact).json()))
                .andReturn().getResponse().getContentAsString();
        return UUID.fromString(JSON.readTree(answer).get("applicationId").asString());
    }

    private static VerdictIssued verdict(UUID application, Agency agency, Outcome outcome, Reason... reasons) {
        VerdictSignatures signatures = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(agency.id()), Map.of()));
        return signatures.sign(new VerdictIssued(application, 1, agency, outcome, List.of(reasons),
                new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
    }

    private static void publish(VerdictIssued verdict, String eventId) {
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.verdicts(verdict.agency())))) {
            kafka.send(Topics.verdicts(verdict.agency()), verdict.applicationId().toString(), CloudEventHeaders.of(verdict, eventId,
                    "/eport/" + verdict.agency().id() + "-check", Instant.now()), JSON.writeValueAsBytes(verdict));
        }
    }

    private static List<MimeMessage> to(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(r -> r.toString().contains(address));
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }
}
