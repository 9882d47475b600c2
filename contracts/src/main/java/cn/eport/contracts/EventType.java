package cn.eport.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every published event type: its CloudEvents {@code type}, its record and its JSON Schema. The
 * version is part of the type; a breaking change adds a new constant, it never edits one.
 */
public enum EventType {
    APPLICATION_SUBMITTED("cn.eport.application.submitted.v1", ApplicationSubmitted.class),
    APPLICATION_AMENDED("cn.eport.application.amended.v1", ApplicationAmended.class),
    APPLICATION_WITHDRAWN("cn.eport.application.withdrawn.v1", ApplicationWithdrawn.class),
    TELECOM_REGISTERED("cn.eport.telecom.registered.v1", TelecomRegistered.class),
    VERDICT_ISSUED("cn.eport.verdict.issued.v1", VerdictIssued.class),
    CARDS_ISSUED("cn.eport.cards.issued.v1", CardsIssued.class),
    PERSONAL_DATA_READ("cn.eport.personal-data.read.v1", PersonalDataRead.class),
    CHECK_ESCALATED("cn.eport.check.escalated.v1", CheckEscalated.class),
    APPROVAL_WITHDRAWN("cn.eport.verdict.withdrawn.v1", ApprovalWithdrawn.class),
    OPERATOR_CARD_ADDED("cn.eport.cards.operator-added.v1", OperatorCardAdded.class),
    OPERATOR_CARD_REMOVED("cn.eport.cards.operator-removed.v1", OperatorCardRemoved.class),
    CARDS_SUSPENDED("cn.eport.cards.suspended.v1", CardsSuspended.class),
    CARD_REPLACED("cn.eport.cards.replaced.v1", CardReplaced.class),
    CARD_EXTENDED("cn.eport.cards.extended.v1", CardExtended.class),
    CARD_EXPIRING("cn.eport.cards.expiring.v1", CardExpiring.class),
    CARD_EXPIRED("cn.eport.cards.expired.v1", CardExpired.class),
    CARD_SET_CANCELLED("cn.eport.cards.cancelled.v1", CardSetCancelled.class),
    CARDS_REINSTATED("cn.eport.cards.reinstated.v1", CardsReinstated.class);

    private final String ceType;
    private final Class<? extends ApplicationEvent> recordType;

    EventType(String ceType, Class<? extends ApplicationEvent> recordType) {
        this.ceType = ceType;
        this.recordType = recordType;
    }

    /** The CloudEvents {@code type} attribute ({@code ce_type} header). */
    public String ceType() {
        return ceType;
    }

    public Class<? extends ApplicationEvent> recordType() {
        return recordType;
    }

    /**
     * The classpath resource of the JSON Schema, beside {@code asyncapi.yaml}:
     * {@code META-INF/resources/eport/contracts/cn.eport.verdict.issued.v1.schema.json}. Every web service
     * serves them as static resources, at {@code /eport/contracts/...}.
     */
    public String schemaResource() {
        return "META-INF/resources/eport/contracts/" + ceType + ".schema.json";
    }

    public static Optional<EventType> ofCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    public static EventType of(ApplicationEvent event) {
        return Arrays.stream(values()).filter(t -> t.recordType.isInstance(event)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no event type for " + event.getClass()));
    }
}
