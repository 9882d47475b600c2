package cn.eport.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Records and schemas cannot drift: what the records serialize to is what the schemas publish. */
class ContractSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
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

    @Test
    void readersIgnoreFieldsTheyDoNotKnow() {
        ObjectNode verdict = JSON.valueToTree(SampleEvents.verdictIssued());
        verdict.put("addedInALaterMinorVersion", "ignored");
        ((ObjectNode) verdict.get("decidedBy")).put("department", "ignored too");

        assertThat(JSON.treeToValue(verdict, VerdictIssued.class)).isEqualTo(SampleEvents.verdictIssued());
    }

    @Test
    void timesAreIsoStringsNotNumbers() {
        assertThat(JSON.valueToTree(SampleEvents.cardsIssued()).get("issuedAt").asString())
                .isEqualTo("2026-11-27T08:30:00Z");
    }
}
