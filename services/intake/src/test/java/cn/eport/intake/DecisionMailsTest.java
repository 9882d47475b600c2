package cn.eport.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.CardsReinstated;
import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.IssuedCard;
import java.time.LocalDate;
import tools.jackson.databind.JsonNode;
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

    /**
     * After the cards: an agency's withdrawal suspends the set (card issuance says so on eport.cards), the applicant
     * reads which agency and why in its status, timeline and mail, amends, and reads the set reinstated.
     */
    @Test
    void aWithdrawnApprovalShowsAsSuspendedCardsWithItsAgencyAndReasonAndTheApplicantMayAmend() throws Exception {
        String contact = "contact-" + UUID.randomUUID() + "@example.com";
        String account = "enterprise-mail-" + UUID.randomUUID();
        UUID application = submit(contact, account);
        for (Agency agency : Agency.values()) {
            publish(verdict(application, agency, Outcome.APPROVED), UUID.randomUUID().toString());
        }
        IssuedCard legalPerson = new IssuedCard("LP00000000013", "林晓明", "110***********002X", LocalDate.now().plusYears(2));
        publishCards(new CardsIssued(application, 1, "YY2026000000011", legalPerson,
                List.of(new IssuedCard("OP00000000021", "陈静", "350***********0011", LocalDate.now().plusYears(2))), 2, 1, Instant.now()));
        await().atMost(PATIENCE).until(() -> status(application, account).get("status").asString(), "CARDS_ISSUED"::equals);
        Reason revoked = new Reason("COMMERCE_BUSINESS_LICENCE_REVOKED", "营业执照已被吊销", "the business licence was revoked");
        VerdictSignatures commerce = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf("commerce"), Map.of()));
        ApprovalWithdrawn withdrawal = commerce.sign(new ApprovalWithdrawn(application, 1, Agency.COMMERCE, List.of(revoked),
                new Decider(Decider.Kind.RULES, "commerce-rules/1"), Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.verdicts(Agency.COMMERCE)))) {
            kafka.send(Topics.verdicts(Agency.COMMERCE), application.toString(), CloudEventHeaders.of(withdrawal,
                    UUID.randomUUID().toString(), "/eport/commerce-check", Instant.now()), JSON.writeValueAsBytes(withdrawal));
        }
        publishCards(new CardsSuspended(application, List.of("LP00000000013", "OP00000000021"), revoked, Agency.COMMERCE,
                "agency:commerce", Instant.now().truncatedTo(ChronoUnit.MILLIS)));

        JsonNode suspended = await().atMost(PATIENCE).until(() -> status(application, account),
                s -> s.get("status").asString().equals("CARDS_SUSPENDED"));
        assertThat(suspended.get("cards").get("suspendedBy").asString()).isEqualTo("COMMERCE");
        assertThat(suspended.get("cards").get("suspensionReason").get("code").asString()).isEqualTo("COMMERCE_BUSINESS_LICENCE_REVOKED");
        String timeline = http.perform(MockMvcRequestBuilders.get("/api/applications/" + application + "/timeline")
                .header("Authorization", "Bearer " + DevTokens.applicant(account))).andReturn().getResponse().getContentAsString();
        assertThat(timeline).contains("APPROVAL_WITHDRAWN", "CARDS_SUSPENDED", "COMMERCE_BUSINESS_LICENCE_REVOKED");
        MimeMessage mail = await().atMost(PATIENCE).until(() -> to(contact), list -> list.stream().anyMatch(DecisionMailsTest::isSuspension))
                .stream().filter(DecisionMailsTest::isSuspension).findFirst().orElseThrow();
        assertThat(mail.getContent().toString()).contains("COMMERCE_BUSINESS_LICENCE_REVOKED", "营业执照已被吊销");

        int amended = http.perform(MockMvcRequestBuilders.put("/api/applications/" + application)
                        .header("Authorization", "Bearer " + DevTokens.applicant(account))
                        .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().with("enterprise.contactEmail", contact).json()))
                .andReturn().getResponse().getStatus();
        assertThat(amended).as("suspended cards: the applicant may amend").isEqualTo(200);
        publishCards(new CardsReinstated(application, 2, List.of("LP00000000013", "OP00000000021"), Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        await().atMost(PATIENCE).until(() -> status(application, account).get("status").asString(), "CARDS_ISSUED"::equals);
    }

    private static boolean isSuspension(MimeMessage mail) {
        try {
            return mail.getSubject().contains("E-Port cards suspended");
        } catch (jakarta.mail.MessagingException e) {
            return false;
        }
    }

    private JsonNode status(UUID application, String account) throws Exception {
        return JSON.readTree(http.perform(MockMvcRequestBuilders.get("/api/applications/" + application)
                .header("Authorization", "Bearer " + DevTokens.applicant(account))).andReturn().getResponse().getContentAsString());
    }

    private static void publishCards(ApplicationEvent event) {
        try (KafkaProbe kafka = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.CARDS))) {
            kafka.sendAs("card-issuance", Topics.CARDS, event.applicationId().toString(), CloudEventHeaders.of(event,
                    UUID.randomUUID().toString(), "/eport/card-issuance", Instant.now()), JSON.writeValueAsBytes(event));
        }
    }

    @Test
    void anApplicationWithoutAContactEmailGetsNoMailAndABadAddressIsRefusedAtTheDoor() throws Exception {
        http.perform(MockMvcRequestBuilders.post("/api/applications").header("Authorization", "Bearer " + DevTokens.applicant("enterprise-mail"))
                        .contentType(MediaType.APPLICATION_JSON).content(SampleForm.valid().with("enterprise.contactEmail", "not an address").json()))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isBadRequest());
    }

    private UUID submit(String contact) throws Exception {
        return submit(contact, "enterprise-mail-" + UUID.randomUUID());
    }

    private UUID submit(String contact, String account) throws Exception {
        String answer = http.perform(MockMvcRequestBuilders.post("/api/applications")
                        .header("Authorization", "Bearer " + DevTokens.applicant(account))
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
