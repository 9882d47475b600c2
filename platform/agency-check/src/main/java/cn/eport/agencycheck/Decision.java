package cn.eport.agencycheck;

import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import java.util.List;

/** The outcome the findings lead to, with the reasons that led there. */
record Decision(Outcome outcome, List<Reason> reasons) {

    static Decision of(List<Finding> findings) {
        List<Reason> rejections = findings.stream().filter(f -> f.effect() == Finding.Effect.REJECT).map(Finding::reason).toList();
        if (!rejections.isEmpty()) {
            return new Decision(Outcome.REJECTED, rejections);
        }
        List<Reason> referrals = findings.stream().map(Finding::reason).toList();
        return referrals.isEmpty() ? new Decision(Outcome.APPROVED, List.of()) : new Decision(Outcome.REFERRED, referrals);
    }
}
