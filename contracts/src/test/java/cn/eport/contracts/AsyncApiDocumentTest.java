package cn.eport.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The AsyncAPI document names every topic and every event type the code publishes. */
class AsyncApiDocumentTest {

    private final JsonNode asyncApi = read();

    @Test
    void isAsyncApi3() {
        assertThat(asyncApi.get("asyncapi").asString()).isEqualTo("3.0.0");
    }

    @Test
    void namesEveryTopic() {
        List<String> addresses = new ArrayList<>();
        asyncApi.get("channels").forEach(channel -> addresses.add(channel.get("address").asString()));

        List<String> topics = new ArrayList<>(List.of(Topics.APPLICATIONS, Topics.TELECOM, Topics.CARDS,
                Topics.deadLetters("{consumerGroup}"), Topics.reads("{service}"), Topics.seals("{service}"), "{subscriberPath}"));
        Arrays.stream(Agency.values()).map(Topics::verdicts).forEach(topics::add);
        Arrays.stream(Agency.values()).map(Topics::deadlines).forEach(topics::add);

        assertThat(addresses).containsExactlyInAnyOrderElementsOf(topics);
    }

    @Test
    void describesEveryEventTypeWithItsSchema() {
        List<String> described = new ArrayList<>();
        asyncApi.get("components").get("messages").forEach(message -> {
            String name = message.get("name").asString();
            described.add(name);
            String schemaRef = message.get("payload").get("schema").get("$ref").asString();
            // The seals are the platform's, not an application's event, and webhooks are not Kafka: neither is an EventType.
            String schema = name.equals(DecisionLogSealed.TYPE) || name.equals(WebhookMessages.APPLICATION_CHANGED) ? name + ".schema.json"
                    : EventType.ofCeType(name).orElseThrow().schemaResource().substring("META-INF/resources/eport/contracts/".length());
            assertThat(schemaRef).isEqualTo(schema);
            assertThat(AsyncApiDocumentTest.class.getResource("/META-INF/resources/eport/contracts/" + schemaRef)).as(schemaRef).isNotNull();
        });

        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::ceType).toList());
        types.add(DecisionLogSealed.TYPE);
        types.add(WebhookMessages.APPLICATION_CHANGED);
        assertThat(described).containsExactlyInAnyOrderElementsOf(types);
    }

    private static JsonNode read() {
        try (InputStream in = AsyncApiDocumentTest.class.getResourceAsStream("/META-INF/resources/eport/contracts/asyncapi.yaml")) {
            return new YAMLMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
