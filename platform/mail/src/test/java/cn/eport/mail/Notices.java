package cn.eport.mail;

import cn.eport.contracts.Reason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Notices as intake would build them. */
final class Notices {

    static final Instant DECIDED_AT = Instant.parse("2026-03-05T06:30:00Z"); // 14:30 in Beijing

    private Notices() {
    }

    static DecisionNotice rejected(UUID applicationId, Reason... reasons) {
        return new DecisionNotice(DecisionNotice.Kind.REJECTED, applicationId, 1, "YY2026000000011", "福州闽江进出口贸易有限公司",
                "林晓明", "110***********002X", List.of(reasons), "国家税务局", "State Taxation Bureau", DECIDED_AT);
    }

    static DecisionNotice approved(UUID applicationId) {
        return new DecisionNotice(DecisionNotice.Kind.APPROVED, applicationId, 2, "YY2026000000011", "福州闽江进出口贸易有限公司",
                "林晓明", "110***********002X", List.of(), null, null, DECIDED_AT);
    }

    static DecisionNotice suspended(UUID applicationId, Reason... reasons) {
        return new DecisionNotice(DecisionNotice.Kind.SUSPENDED, applicationId, 2, "YY2026000000011", "福州闽江进出口贸易有限公司",
                "林晓明", "110***********002X", List.of(reasons), "海关", "Customs", DECIDED_AT);
    }

    static Reason taxNumberMismatch() {
        return new Reason("TAX_REGISTRATION_NAME_MISMATCH", "税务登记证上的企业名称与申请不一致",
                "The enterprise name on the tax registration certificate differs from the application");
    }
}
