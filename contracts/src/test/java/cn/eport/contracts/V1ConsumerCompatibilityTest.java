package cn.eport.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A consumer built against the v1 contracts as first published, before the cards' lifecycle: the schemas it
 * knows are copied, unedited, from the commit before the change ({@code src/test/resources/v1-as-first-published}),
 * and it reads with records of the v1 shape and a mapper that fails on what those records do not declare. What is
 * published now on eport.cards and the verdict topics must stay readable by it, and nothing new may pass for one of
 * the types it knows.
 */
class V1ConsumerCompatibilityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<String, Schema> V1 = Map.of(
            "cn.eport.cards.issued.v1", SCHEMAS.getSchema(SchemaLocation.of("classpath:v1-as-first-published/cn.eport.cards.issued.v1.schema.json")),
            "cn.eport.verdict.issued.v1", SCHEMAS.getSchema(SchemaLocation.of("classpath:v1-as-first-published/cn.eport.verdict.issued.v1.schema.json")),
            "cn.eport.application.submitted.v1",
            SCHEMAS.getSchema(SchemaLocation.of("classpath:v1-as-first-published/cn.eport.application.submitted.v1.schema.json")));

    /** The v1 consumer's own records: what it was compiled with. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record V1Card(String cardNumber, String holderName, String maskedIdNumber) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record V1CardsIssued(UUID applicationId, int revision, String slipNumber, V1Card legalPersonCard, List<V1Card> operatorCards,
            int cardReaders, int installationDiscs, Instant issuedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record V1ApplicationSubmitted(UUID applicationId, int revision, String slipNumber, Instant submittedAt, Channel channel,
            String submittedBy, Enterprise enterprise, CardHolder legalRepresentative, List<CardHolder> operators) {
    }

    @Test
    void aPaperApplicationNamingItsEnterpriseAccountPassesTheV1SchemaAndReadsIntoTheV1Record() {
        ApplicationSubmitted online = SampleEvents.applicationSubmitted();
        ApplicationSubmitted paper = new ApplicationSubmitted(online.applicationId(), 1, online.slipNumber(), online.submittedAt(),
                Channel.PAPER, "customs-clerk-01", online.enterprise(), online.legalRepresentative(), online.operators(), "enterprise-7");
        for (ApplicationSubmitted published : List.of(online, paper)) {
            JsonNode tree = JSON.valueToTree(published);

            assertThat(V1.get("cn.eport.application.submitted.v1").validate(tree)).as(tree.toString()).isEmpty();
            V1ApplicationSubmitted read = STRICT.treeToValue(tree, V1ApplicationSubmitted.class);
            assertThat(read.submittedBy()).isEqualTo(published.submittedBy());
        }
        assertThat(JSON.valueToTree(paper).get("enterpriseAccount").asString()).isEqualTo("enterprise-7");
        assertThat(paper.owner()).isEqualTo("enterprise-7");
        assertThat(online.owner()).isEqualTo(online.submittedBy());
    }

    @Test
    void cardsIssuedAsPublishedNowWithItsValidityPassesTheV1SchemaAndReadsIntoTheV1Record() {
        JsonNode published = JSON.valueToTree(SampleEvents.cardsIssued());
        assertThat(published.get("legalPersonCard").has("validUntil")).as("the sample carries the field v1 did not have").isTrue();

        assertThat(V1.get("cn.eport.cards.issued.v1").validate(published)).isEmpty();
        V1CardsIssued read = STRICT.treeToValue(published, V1CardsIssued.class);
        assertThat(read.legalPersonCard().cardNumber()).isEqualTo("LP00000000013");
        assertThat(read.operatorCards()).extracting(V1Card::holderName).containsExactly("陈静");
    }

    @Test
    void aVerdictAsPublishedNowPassesTheV1Schema() {
        assertThat(V1.get("cn.eport.verdict.issued.v1").validate(JSON.valueToTree(SampleEvents.verdictIssued()))).isEmpty();
    }

    /**
     * The new events travel on the topics the v1 consumer reads, under types it does not know: one that dispatches by
     * {@code ce_type} skips them, and one that tried them against the schemas it knows would refuse every one, so a
     * withdrawal can never be counted as a verdict, nor a suspension as a card set.
     */
    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"APPROVAL_WITHDRAWN", "OPERATOR_CARD_ADDED", "OPERATOR_CARD_REMOVED",
            "CARDS_SUSPENDED", "CARD_REPLACED", "CARD_EXTENDED", "CARD_EXPIRING", "CARD_EXPIRED", "CARD_SET_CANCELLED", "CARDS_REINSTATED"})
    void noNewEventPassesForATypeTheV1ConsumerKnows(EventType type) {
        ApplicationEvent event = SampleEvents.of(type);
        assertThat(V1).doesNotContainKey(type.ceType());
        assertThat(List.of(Topics.CARDS, Topics.verdicts(Agency.COMMERCE))).contains(Topics.of(event));
        JsonNode body = JSON.valueToTree(event);

        V1.forEach((known, schema) -> assertThat(schema.validate(body)).as("%s read as %s", type.ceType(), known).isNotEmpty());
    }

    @Test
    void theTypesTheV1ConsumerKnowsKeepTheirNames() {
        assertThat(EnumSet.of(EventType.CARDS_ISSUED, EventType.VERDICT_ISSUED, EventType.APPLICATION_SUBMITTED)).extracting(EventType::ceType)
                .containsExactlyInAnyOrderElementsOf(V1.keySet());
    }
}
