package cn.eport.sandbox.faults;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.EventType;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records no consumer can do anything useful with, of every kind, for {@code eport.applications} and a
 * verdict topic. Each is about an application of its own that no one submitted, so what happens to it
 * is seen apart from the real traffic: which consumer groups dead-lettered or quarantined it. Those
 * on {@code eport.applications} carry intake's signature, as if intake had published them, all but the
 * one that is poison for want of it.
 */
final class Poison {

    /** The kinds of poison, and what a consumer is expected to do with them. */
    enum Kind {
        UNREADABLE_BYTES("not JSON at all", true),
        NO_HEADERS("a JSON body without CloudEvents headers", true),
        WRONG_SHAPE("JSON of the wrong shape for its ce_type", true),
        NOT_AN_OBJECT("a JSON array where an object belongs", true),
        UNKNOWN_TYPE("a ce_type no one publishes", true),
        FORGED_SIGNATURE("a verdict whose signature does not verify", true),
        UNSIGNED("a schema-valid submission published by hand, without intake's signature", true),
        OVERSIZED_INVALID("close to 1 MB: a field far over its schema's limit", true),
        NO_IDENTIFIERS("schema-valid, with neither USCC nor organisation code nor the legacy numbers", false),
        NUL_IN_TEXT("schema-valid, a NUL character inside a name or a reason (PostgreSQL refuses it in text and jsonb)", false),
        OVERSIZED_VALID("close to 1 MB and schema-valid: an unknown field readers must ignore", false);

        private final String description;
        private final boolean unreadable;

        Kind(String description, boolean unreadable) {
            this.description = description;
            this.unreadable = unreadable;
        }

        String description() {
            return description;
        }

        /** Whether a reader must refuse it outright (a dead letter of kind UNREADABLE); otherwise it is read, and handled or quarantined. */
        boolean unreadable() {
            return unreadable;
        }
    }

    /** One poison record, as produced. */
    record Dose(Kind kind, String topic, UUID applicationId, ProducerRecord<byte[], byte[]> record) {

        /** The consumer groups that read its topic, and so must each deal with it. */
        List<String> readers() {
            return topic.equals(Topics.APPLICATIONS)
                    ? List.of("quality-check", "commerce-check", "tax-check", "trade-check", "forex-check", "customs-check",
                            "card-issuance", "telecom", "dashboard")
                    : List.of("intake", "card-issuance", "dashboard");
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SOURCE = TopicWatcher.MATRIX_SOURCE + "/poison";
    private static final int NEARLY_A_MEGABYTE = 990_000;
    private static final Agency VERDICT_AGENCY = Agency.TAX;

    private final Random random;
    private final VerdictSignatures taxKey = VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(VERDICT_AGENCY.id()), Map.of()));

    Poison(Random random) {
        this.random = random;
    }

    /** Every kind that applies, on eport.applications and on eport.verdicts.tax. */
    List<Dose> everyKind() {
        List<Dose> doses = new ArrayList<>();
        String applications = Topics.APPLICATIONS;
        String verdicts = Topics.verdicts(VERDICT_AGENCY);
        String submitted = EventType.APPLICATION_SUBMITTED.ceType();
        String verdict = EventType.VERDICT_ISSUED.ceType();

        doses.add(dose(Kind.UNREADABLE_BYTES, applications, submitted, randomBytes(512)));
        doses.add(doseWithoutHeaders(applications, JSON.writeValueAsBytes(application(UUID.randomUUID(), "鑫海进出口贸易有限公司", null))));
        doses.add(dose(Kind.WRONG_SHAPE, applications, submitted, "{\"applicationId\": 42, \"hello\": [\"world\"]}".getBytes(StandardCharsets.UTF_8)));
        doses.add(dose(Kind.NOT_AN_OBJECT, applications, submitted, "[1, 2, 3]".getBytes(StandardCharsets.UTF_8)));
        UUID unknown = UUID.randomUUID();
        doses.add(dose(Kind.UNKNOWN_TYPE, applications, unknown, "cn.eport.application.teleported.v1",
                JSON.writeValueAsBytes(application(unknown, "华安进出口贸易有限公司", null))));
        UUID oversizedInvalid = UUID.randomUUID();
        doses.add(dose(Kind.OVERSIZED_INVALID, applications, oversizedInvalid, submitted,
                JSON.writeValueAsBytes(application(oversizedInvalid, "盛达进出口贸易有限公司", "路".repeat(NEARLY_A_MEGABYTE / 3)))));
        UUID noIdentifiers = UUID.randomUUID();
        doses.add(dose(Kind.NO_IDENTIFIERS, applications, noIdentifiers, submitted, JSON.writeValueAsBytes(withoutIdentifiers(noIdentifiers))));
        UUID nul = UUID.randomUUID();
        doses.add(dose(Kind.NUL_IN_TEXT, applications, nul, submitted, JSON.writeValueAsBytes(application(nul, "永泰进出口\u0000贸易有限公司", null))));
        UUID unsigned = UUID.randomUUID();
        doses.add(dose(Kind.UNSIGNED, applications, unsigned, submitted, JSON.writeValueAsBytes(application(unsigned, "闽江进出口贸易有限公司", null))));
        UUID oversizedValid = UUID.randomUUID();
        ObjectNode padded = JSON.valueToTree(application(oversizedValid, "海峡进出口贸易有限公司", null));
        padded.put("padding", "x".repeat(NEARLY_A_MEGABYTE));
        doses.add(dose(Kind.OVERSIZED_VALID, applications, oversizedValid, submitted, JSON.writeValueAsBytes(padded)));

        doses.add(dose(Kind.UNREADABLE_BYTES, verdicts, verdict, randomBytes(512)));
        doses.add(dose(Kind.WRONG_SHAPE, verdicts, verdict, "{\"verdict\": true, \"agency\": 7}".getBytes(StandardCharsets.UTF_8)));
        UUID unknownVerdict = UUID.randomUUID();
        doses.add(dose(Kind.UNKNOWN_TYPE, verdicts, unknownVerdict, "cn.eport.verdict.reconsidered.v1",
                JSON.writeValueAsBytes(signed(unknownVerdict, Outcome.APPROVED, List.of()))));
        UUID forged = UUID.randomUUID();
        doses.add(dose(Kind.FORGED_SIGNATURE, verdicts, forged, verdict, JSON.writeValueAsBytes(
                signed(forged, Outcome.APPROVED, List.of()).withSignature("AAAA" + "A".repeat(80)))));
        UUID nulVerdict = UUID.randomUUID();
        doses.add(dose(Kind.NUL_IN_TEXT, verdicts, nulVerdict, verdict, JSON.writeValueAsBytes(signed(nulVerdict, Outcome.REJECTED,
                List.of(new Reason("TAX_REGISTRATION_EXPIRED", "税务登记证\u0000已过期", "the tax registration has\u0000expired"))))));
        UUID oversizedVerdict = UUID.randomUUID();
        doses.add(dose(Kind.OVERSIZED_INVALID, verdicts, oversizedVerdict, verdict, JSON.writeValueAsBytes(signed(oversizedVerdict,
                Outcome.REJECTED, List.of(new Reason("TAX_REGISTRATION_EXPIRED", "税务登记证已过期", "x".repeat(NEARLY_A_MEGABYTE)))))));
        UUID paddedVerdict = UUID.randomUUID();
        ObjectNode paddedBody = JSON.valueToTree(signed(paddedVerdict, Outcome.APPROVED, List.of()));
        paddedBody.put("padding", "x".repeat(NEARLY_A_MEGABYTE));
        doses.add(dose(Kind.OVERSIZED_VALID, verdicts, paddedVerdict, verdict, JSON.writeValueAsBytes(paddedBody)));
        return doses;
    }

    private Dose dose(Kind kind, String topic, String ceType, byte[] value) {
        return dose(kind, topic, UUID.randomUUID(), ceType, value);
    }

    private Dose dose(Kind kind, String topic, UUID applicationId, String ceType, byte[] value) {
        String key = applicationId.toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
        headers.put(CloudEventHeaders.TYPE, ceType);
        headers.put(CloudEventHeaders.SOURCE, SOURCE);
        headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        headers.put(CloudEventHeaders.TIME, Instant.now().toString());
        headers.put(CloudEventHeaders.SUBJECT, key);
        headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        if (kind != Kind.UNSIGNED) {
            headers = DevKeys.signedAsTopicWriter(topic, key, headers, value);
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(key), value);
        headers.forEach((name, text) -> record.headers().add(name, bytes(text)));
        return new Dose(kind, topic, applicationId, record);
    }

    private Dose doseWithoutHeaders(String topic, byte[] value) {
        UUID applicationId = UUID.randomUUID();
        return new Dose(Kind.NO_HEADERS, topic, applicationId, new ProducerRecord<>(topic, bytes(applicationId.toString()), value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        return bytes;
    }

    /** A slip no real application has (intake's sequence starts at 1), pattern-valid: telecom must never confuse the two. */
    private static String slip() {
        return "YY2026999999990";
    }

    private static ApplicationSubmitted application(UUID id, String name, String address) {
        return new ApplicationSubmitted(id, 1, slip(), Instant.now().truncatedTo(ChronoUnit.MILLIS), Channel.ONLINE, "fault-matrix-poison",
                new Enterprise(name, EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4", "110108000000016", "350100M000100Y4",
                        "3501910123", "ZMQ-2001-0001", address != null ? address : "福州市鼓楼区五四路1号", "林晓明", "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0027", "BG35010001")));
    }

    private static ApplicationSubmitted withoutIdentifiers(UUID id) {
        return new ApplicationSubmitted(id, 1, slip(), Instant.now().truncatedTo(ChronoUnit.MILLIS), Channel.ONLINE, "fault-matrix-poison",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, null, null, null, null, "3501910123", null,
                        "福州市鼓楼区五四路1号", "林晓明", "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0027", "BG35010001")));
    }

    private VerdictIssued signed(UUID id, Outcome outcome, List<Reason> reasons) {
        return taxKey.sign(new VerdictIssued(id, 1, VERDICT_AGENCY, outcome, reasons, new Decider(Decider.Kind.RULES, "tax-rules/poison"),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), ""));
    }
}
