package cn.eport.messaging;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.VerdictIssued;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Sample events for the messaging tests. */
final class Events {

    private Events() {
    }

    static ApplicationSubmitted submitted(UUID applicationId, int revision) {
        return new ApplicationSubmitted(applicationId, revision, "YY2026000000011", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Channel.ONLINE, "enterprise-test",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                        "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
                        "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0021", "BG35010001")));
    }

    static CardsIssued cards(UUID applicationId, int revision) {
        return new CardsIssued(applicationId, revision, "YY2026000000011", new IssuedCard("LP00000000001", "林晓明", "110***********002X"),
                List.of(new IssuedCard("OP00000000002", "陈静", "350***********0021")), 2, 1, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    static VerdictIssued unsignedVerdict(UUID applicationId, Agency agency, Outcome outcome) {
        return new VerdictIssued(applicationId, 1, agency, outcome, List.of(), new Decider(Decider.Kind.RULES, "test-rules/1"),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), "");
    }
}
