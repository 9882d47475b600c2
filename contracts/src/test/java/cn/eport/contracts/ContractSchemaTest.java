package cn.eport.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Records and schemas cannot drift: what the records serialize to is what the schemas publish. */
class ContractSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    static Schema schemaOf(EventType type) {
        return SCHEMAS.getSchema(SchemaLocation.of("classpath:" + type.schemaResource()));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everySerializedRecordValidatesAgainstItsSchema(EventType type) {
        ApplicationEvent sample = SampleEvents.of(type);
        assertThat(sample).isInstanceOf(type.recordType());

        List<Error> errors = schemaOf(type).validate(JSON.valueToTree(sample));

        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyRecordReadsBackEqualFromItsJson(EventType type) {
        ApplicationEvent sample = SampleEvents.of(type);

        assertThat(JSON.readValue(JSON.writeValueAsString(sample), type.recordType())).isEqualTo(sample);
    }

    @Test
    void aVerdictMissingItsSignatureFailsTheSchema() {
        ObjectNode verdict = JSON.valueToTree(SampleEvents.verdictIssued());
        verdict.remove("signature");

        assertThat(schemaOf(EventType.VERDICT_ISSUED).validate(verdict))
                .extracting(Error::getMessage).anyMatch(m -> m.contains("signature"));
    }

    @Test
    void aWholeIdNumberOnAnEventFailsTheSchema() {
        ObjectNode application = JSON.valueToTree(SampleEvents.applicationSubmitted());
        ((ObjectNode) application.get("legalRepresentative")).put("maskedIdNumber", "11010519491231002X");

        assertThat(schemaOf(EventType.APPLICATION_SUBMITTED).validate(application)).isNotEmpty();
    }

    /**
     * Jackson 3 ignores unknown properties by default, and the services' mapper does not
     * ({@code spring.jackson.deserialization.fail-on-unknown-properties: true} in the web defaults, for
     * strict request bodies). So this reads with a mapper that fails on them: only the contract types'
     * own {@code @JsonIgnoreProperties(ignoreUnknown = true)} lets a later minor version through.
     */
    @ParameterizedTest
    @EnumSource(EventType.class)
    void readersIgnoreFieldsTheyDoNotKnow(EventType type) {
        ApplicationEvent sample = SampleEvents.of(type);
        ObjectNode later = JSON.valueToTree(sample);
        List<String> extended = new ArrayList<>();
        addAnUnknownFieldToEveryObject(later, "$", extended);

        boolean hasNestedObjects = !EnumSet.of(EventType.APPLICATION_WITHDRAWN, EventType.TELECOM_REGISTERED,
                EventType.PERSONAL_DATA_READ, EventType.CHECK_ESCALATED, EventType.OPERATOR_CARD_REMOVED, EventType.CARD_EXTENDED,
                EventType.CARD_EXPIRING, EventType.CARD_EXPIRED, EventType.CARD_SET_CANCELLED, EventType.CARDS_REINSTATED).contains(type);
        assertThat(extended).as("objects given an unknown field").startsWith("$").hasSizeGreaterThan(hasNestedObjects ? 1 : 0);
        assertThat(STRICT.treeToValue(later, type.recordType())).isEqualTo(sample);
    }

    /** Without the annotation the strict reader fails, so the test above cannot pass by accident. */
    @Test
    void theStrictReaderFailsOnAnUnknownFieldOfATypeWithoutTheAnnotation() {
        ObjectNode body = JSON.createObjectNode().put("code", "X").put("addedInALaterMinorVersion", "unknown");

        assertThatExceptionOfType(UnrecognizedPropertyException.class)
                .isThrownBy(() -> STRICT.treeToValue(body, NotLenient.class));
    }

    record NotLenient(String code) {
    }

    private static void addAnUnknownFieldToEveryObject(JsonNode node, String path, List<String> extended) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
            object.put("addedInALaterMinorVersion", "unknown to this reader");
            extended.add(path);
            fields.forEach(field -> addAnUnknownFieldToEveryObject(field.getValue(), path + "." + field.getKey(), extended));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                addAnUnknownFieldToEveryObject(array.get(i), path + "[" + i + "]", extended);
            }
        }
    }

    @Test
    void timesAreIsoStringsNotNumbers() {
        assertThat(JSON.valueToTree(SampleEvents.cardsIssued()).get("issuedAt").asString())
                .isEqualTo("2026-11-27T08:30:00Z");
    }

    @Test
    void datesAreIsoDates() {
        assertThat(JSON.valueToTree(SampleEvents.cardsIssued()).get("legalPersonCard").get("validUntil").asString())
                .isEqualTo("2028-11-26");
    }

    @Test
    void aWithdrawalSignsWithdrawnWhereAVerdictSignsItsOutcome() {
        assertThat(SampleEvents.approvalWithdrawn().signedContent().split("\n")[3]).isEqualTo("WITHDRAWN");
        assertThat(java.util.Arrays.stream(Outcome.values()).map(Outcome::name)).doesNotContain(ApprovalWithdrawn.SIGNED_KIND);
    }

    @Test
    void aWithdrawalWithoutAReasonFailsTheSchema() {
        ObjectNode withdrawal = JSON.valueToTree(SampleEvents.approvalWithdrawn());
        withdrawal.putArray("reasons");

        assertThat(schemaOf(EventType.APPROVAL_WITHDRAWN).validate(withdrawal)).isNotEmpty();
    }

    /** {@link CardEvent#by()} is a reader's convenience, not a field: events that name no one publish no {@code by}. */
    @Test
    void aCardEventThatNamesNoOnePublishesNoBy() {
        assertThat(JSON.valueToTree(SampleEvents.of(EventType.CARD_EXPIRED)).has("by")).isFalse();
        assertThat(((CardEvent) SampleEvents.of(EventType.CARD_EXPIRED)).by()).isEqualTo("card-issuance");
        assertThat(((CardEvent) SampleEvents.of(EventType.CARD_REPLACED)).by()).isEqualTo("clerk:customs-clerk-01");
    }
}
