package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.Topics;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** The kit in a real service context: real Kafka and PostgreSQL, a WireMock registry. */
@SpringBootTest(classes = KitTestApplication.class, properties = "spring.config.name=kit-test")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
abstract class KitTest {

    /** One registry for the JVM, like the Spring context it is wired into: a server per class would outlive its context's URL. */
    static final WireMockServer registry = new WireMockServer(wireMockConfig().dynamicPort());

    static {
        registry.start();
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void registryAddress(DynamicPropertyRegistry properties) {
        properties.add("eport.registry.base-url", registry::baseUrl);
    }

    /** An application as intake would publish it, for an enterprise whose USCC is {@code uscc}. */
    static ApplicationSubmitted application(String uscc, String name) {
        return new ApplicationSubmitted(UUID.randomUUID(), 1, "YY2026000000011", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Channel.ONLINE, "enterprise-test",
                new Enterprise(name, EnterpriseType.DOMESTIC, uscc, null, null, null, "3501910123", "ZMQ-2001-0001",
                        "福州市鼓楼区五四路1号", "林晓明", "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0021", "BG35010001")));
    }

    /** Publishes it on eport.applications the way intake's relay does. */
    static void publish(KafkaProbe kafka, ApplicationSubmitted application) {
        kafka.sendAs("intake", Topics.APPLICATIONS, application.applicationId().toString(),
                CloudEventHeaders.of(application, UUID.randomUUID().toString(), "/eport/intake", Instant.now()),
                JSON.writeValueAsBytes(application));
    }

    static KafkaProbe probe(String... topics) {
        return new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(topics));
    }

    /** The registry's answer holding these records: {@code {"records": [...]}}. */
    static String answer(String... records) {
        return "{\"records\": [" + String.join(",", records) + "]}";
    }

    static String record(String number, String name, String status, String validUntil) {
        return "{\"number\": \"" + number + "\", \"holderName\": \"" + name + "\", \"status\": \"" + status
                + "\", \"validUntil\": " + (validUntil == null ? "null" : "\"" + validUntil + "\"") + "}";
    }
}
