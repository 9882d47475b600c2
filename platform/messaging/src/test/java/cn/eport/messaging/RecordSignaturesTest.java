package cn.eport.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.eport.contracts.RecordSignature;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevKeys;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Records of intake and telecom count only with their writer's signature over every part that matters. */
class RecordSignaturesTest {

    private static final Map<String, String> PUBLIC_KEYS = Map.of("intake", DevKeys.publicKeyOf("intake"),
            "telecom", DevKeys.publicKeyOf("telecom"));

    private final RecordSignatures intake = RecordSignatures.from("intake", new SigningSettings(DevKeys.privateKeyOf("intake"), PUBLIC_KEYS));
    private final RecordSignatures reader = RecordSignatures.from("card-issuance", new SigningSettings(null, PUBLIC_KEYS));
    private final String application = UUID.randomUUID().toString();

    @Test
    void aRecordSignedByItsWriterVerifiesAndAnyChangeToItDoesNot() {
        IncomingRecord signed = signedByIntake("{\"applicationId\":\"" + application + "\"}");
        assertThat(reader.problemWith(signed)).isEmpty();

        assertThat(reader.problemWith(with(signed, Topics.APPLICATIONS, signed.key(), "ce_id", UUID.randomUUID().toString(),
                signed.value()))).contains("record signature does not verify with the public key of intake");
        assertThat(reader.problemWith(with(signed, Topics.APPLICATIONS, UUID.randomUUID().toString(), "ce_id",
                signed.headers().get("ce_id"), signed.value()))).isPresent();
        assertThat(reader.problemWith(with(signed, Topics.APPLICATIONS, signed.key(), "ce_type", "cn.eport.application.withdrawn.v1",
                signed.value()))).isPresent();
        assertThat(reader.problemWith(with(signed, Topics.APPLICATIONS, signed.key(), "ce_id", signed.headers().get("ce_id"),
                "{\"applicationId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))).isPresent();
        // intake's signature on eport.applications does not make the same bytes telecom's on eport.telecom
        assertThat(reader.problemWith(with(signed, Topics.TELECOM, signed.key(), "ce_id", signed.headers().get("ce_id"),
                signed.value()))).contains("record signature does not verify with the public key of telecom");
    }

    @Test
    void anUnsignedOrWronglySignedRecordOnASignedTopicIsRefusedAndOtherTopicsNeedNone() {
        Map<String, String> headers = headers();
        byte[] value = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(reader.problemWith(new IncomingRecord(Topics.TELECOM, 0, 1, application, headers, value)))
                .contains("record on eport.telecom is not signed (x-eport-signature): only telecom writes there");
        Map<String, String> byIntake = DevKeys.signedRecordHeaders("intake", Topics.TELECOM, application, headers, value);
        assertThat(reader.problemWith(new IncomingRecord(Topics.TELECOM, 0, 1, application, byIntake, value)))
                .contains("record signature does not verify with the public key of telecom");
        Map<String, String> garbage = new LinkedHashMap<>(headers);
        garbage.put(RecordSignature.HEADER, "not base64!");
        assertThat(reader.problemWith(new IncomingRecord(Topics.APPLICATIONS, 0, 1, application, garbage, value))).isPresent();
        Map<String, String> lineFeed = DevKeys.signedRecordHeaders("intake", Topics.APPLICATIONS, application, headers, value);
        lineFeed.put("ce_source", "/eport/intake\nsomething");
        assertThat(reader.problemWith(new IncomingRecord(Topics.APPLICATIONS, 0, 1, application, lineFeed, value)))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("record signature cannot be checked"));
        assertThat(reader.problemWith(new IncomingRecord(Topics.CARDS, 0, 1, application, headers, value))).isEmpty();
    }

    @Test
    void onlyTheTopicsWriterSignsAndASignerWithoutItsKeyDoesNotStart() {
        assertThat(intake.sign(Topics.CARDS, application, headers(), new byte[0])).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> intake.sign(Topics.TELECOM, application, headers(), new byte[0]))
                .hasMessage("intake cannot publish on eport.telecom: only telecom can, with its signing key");
        assertThatThrownBy(() -> RecordSignatures.from("telecom", new SigningSettings(null, PUBLIC_KEYS)).requireSigningKeyIfSigner())
                .hasMessageContaining("telecom signs every record it publishes and cannot start without its key");
        assertThatThrownBy(() -> RecordSignatures.from("telecom", new SigningSettings(DevKeys.privateKeyOf("intake"), PUBLIC_KEYS))
                .requireSigningKeyIfSigner()).hasMessageContaining("does not belong to the configured public key of telecom");
        RecordSignatures.from("tax-check", new SigningSettings(DevKeys.privateKeyOf("tax"), PUBLIC_KEYS)).requireSigningKeyIfSigner();
    }

    private IncomingRecord signedByIntake(String body) {
        byte[] value = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = headers();
        headers.put(RecordSignature.HEADER, intake.sign(Topics.APPLICATIONS, application, headers, value).orElseThrow());
        return new IncomingRecord(Topics.APPLICATIONS, 0, 1, application, headers, value);
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_type", "cn.eport.application.submitted.v1");
        headers.put("ce_source", "/eport/intake");
        headers.put("ce_subject", application);
        headers.put("ce_time", "2026-12-02T03:00:00Z");
        return headers;
    }

    private static IncomingRecord with(IncomingRecord record, String topic, String key, String header, String headerValue, byte[] value) {
        Map<String, String> headers = new LinkedHashMap<>(record.headers());
        headers.put(header, headerValue);
        return new IncomingRecord(topic, record.partition(), record.offset(), key, headers, value);
    }
}
