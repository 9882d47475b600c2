package cn.eport.contracts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One sample of every event type, with the standards' example identifiers. */
final class SampleEvents {

    static final UUID APPLICATION = UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b");
    static final Instant WHEN = Instant.parse("2026-11-27T08:30:00Z");

    private SampleEvents() {
    }

    static ApplicationSubmitted applicationSubmitted() {
        return new ApplicationSubmitted(APPLICATION, 1, "YY2026000000011", WHEN, Channel.ONLINE, "enterprise-0001",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                        "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001",
                        "福州市鼓楼区五四路1号", "林晓明", "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }

    static VerdictIssued verdictIssued() {
        return new VerdictIssued(APPLICATION, 1, Agency.QUALITY, Outcome.REJECTED,
                List.of(new Reason("QUALITY_ORGANISATION_CODE_CHECK_CHARACTER",
                        "组织机构代码校验码不正确", "the organisation code has the wrong check character")),
                new Decider(Decider.Kind.RULES, "quality-rules/1"), WHEN, "c2lnbmF0dXJl",
                new VerdictIssued.SignatureBatch(2, 5, List.of("RQsDBDFYVH0iFbSKyhZlgGfVI3cWDzgo/ZMn6Km5TS4=",
                        "ltK3R3Jq5BtM2CqW4iKcLm1nvYx1uf1yZ6zG4UWq3B8=", "0Yx9vXy0CjJ9kRVtMqGr+Q8v4m8bFfHWZg3sLwZ3P2s="), "cm9vdHNpZ25hdHVyZQ=="));
    }

    static CardsIssued cardsIssued() {
        return new CardsIssued(APPLICATION, 1, "YY2026000000011",
                new IssuedCard("LP00000000013", "林晓明", "110***********002X", java.time.LocalDate.parse("2028-11-26")),
                List.of(new IssuedCard("OP00000000021", "陈静", "350***********0011")),
                1, 1, WHEN);
    }

    static ApplicationAmended applicationAmended() {
        ApplicationSubmitted s = applicationSubmitted();
        return new ApplicationAmended(APPLICATION, 2, s.slipNumber(), WHEN, Channel.ONLINE, "enterprise-0001", s.enterprise(),
                s.legalRepresentative(), s.operators());
    }

    static ApplicationWithdrawn applicationWithdrawn() {
        return new ApplicationWithdrawn(APPLICATION, 2, WHEN, "enterprise-0001");
    }

    static TelecomRegistered telecomRegistered() {
        return new TelecomRegistered(APPLICATION, "YY2026000000011", "M000100Y4", "17999000123", WHEN, "telecom-clerk-01");
    }

    static PersonalDataRead personalDataRead() {
        return new PersonalDataRead(APPLICATION, "tax-check", "tax-reviewer-07", List.of("REVIEWER"), "tax",
                List.of("legalRepresentative.name", "legalRepresentative.maskedIdNumber"), "GET /api/reviews/{applicationId}/{revision}", WHEN);
    }

    static CheckEscalated checkEscalated() {
        return new CheckEscalated(APPLICATION, 1, Agency.TAX, CheckEscalated.Level.BREACH, Instant.parse("2026-09-30T02:00:00Z"),
                Instant.parse("2026-10-12T02:00:00Z"), 3, 72.0, 1.5, CheckEscalated.WaitingFor.REVIEWER, WHEN);
    }

    static ApprovalWithdrawn approvalWithdrawn() {
        return new ApprovalWithdrawn(APPLICATION, 1, Agency.COMMERCE,
                List.of(new Reason("COMMERCE_BUSINESS_LICENCE_REVOKED", "营业执照 91350100M000100Y43 已被吊销",
                        "business licence 91350100M000100Y43 was revoked")),
                new Decider(Decider.Kind.RULES, "commerce-rules/1"), WHEN, "c2lnbmF0dXJl");
    }

    static IssuedCard operatorCard() {
        return new IssuedCard("OP00000000039", "王磊", "350***********0022", java.time.LocalDate.parse("2028-11-26"));
    }

    static ApplicationEvent of(EventType type) {
        return switch (type) {
            case APPLICATION_SUBMITTED -> applicationSubmitted();
            case APPLICATION_AMENDED -> applicationAmended();
            case APPLICATION_WITHDRAWN -> applicationWithdrawn();
            case TELECOM_REGISTERED -> telecomRegistered();
            case VERDICT_ISSUED -> verdictIssued();
            case CARDS_ISSUED -> cardsIssued();
            case PERSONAL_DATA_READ -> personalDataRead();
            case CHECK_ESCALATED -> checkEscalated();
            case APPROVAL_WITHDRAWN -> approvalWithdrawn();
            case OPERATOR_CARD_ADDED -> new OperatorCardAdded(APPLICATION, 2, operatorCard(), WHEN);
            case OPERATOR_CARD_REMOVED -> new OperatorCardRemoved(APPLICATION, "OP00000000021", "enterprise:enterprise-0001", WHEN);
            case CARDS_SUSPENDED -> new CardsSuspended(APPLICATION, List.of("LP00000000013", "OP00000000021"),
                    approvalWithdrawn().reasons().get(0), Agency.COMMERCE, "agency:commerce", WHEN);
            case CARD_REPLACED -> new CardReplaced(APPLICATION, "OP00000000021", operatorCard(), "clerk:customs-clerk-01", WHEN);
            case CARD_EXTENDED -> new CardExtended(APPLICATION, "LP00000000013", java.time.LocalDate.parse("2030-11-26"), false,
                    "enterprise:enterprise-0001", WHEN);
            case CARD_EXPIRING -> new CardExpiring(APPLICATION, "LP00000000013", java.time.LocalDate.parse("2026-12-27"), WHEN);
            case CARD_EXPIRED -> new CardExpired(APPLICATION, "LP00000000013", java.time.LocalDate.parse("2026-11-26"), WHEN);
            case CARD_SET_CANCELLED -> new CardSetCancelled(APPLICATION, List.of("LP00000000013", "OP00000000021"),
                    "clerk:customs-clerk-01", WHEN);
            case CARDS_REINSTATED -> new CardsReinstated(APPLICATION, 2, List.of("LP00000000013", "OP00000000021"), WHEN);
        };
    }
}
