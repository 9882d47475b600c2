package cn.eport.cardissuance;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Outcome;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When an application gets its card set: it was not withdrawn, telecom has registered the
 * enterprise, it has no card set yet, and all six agencies approved its current revision. Plain
 * Java: {@link CardIssuance} reads the facts from the database, this decides.
 *
 * <p>Agencies are counted, never verdicts, and only those of the current revision: a copy of an
 * approval, or an approval of an older revision, adds nothing.
 */
final class CardRule {

    private CardRule() {
    }

    /** What the rule decided, the first unmet condition in this order, or {@link #ISSUE}. */
    enum Decision {
        WITHDRAWN,
        ALREADY_ISSUED,
        AWAITING_TELECOM,
        AWAITING_APPROVALS,
        ISSUE
    }

    /**
     * One agency's verdict as recorded.
     *
     * @param revision the revision it decided
     */
    record Verdict(int revision, Agency agency, Outcome outcome) {
    }

    /**
     * What is known of one application.
     *
     * @param currentRevision     the newest revision seen
     * @param withdrawn           the applicant withdrew it
     * @param registeredAtTelecom telecom registered the enterprise's 17999 card
     * @param cardsIssued         its card set exists already
     * @param verdicts            every verdict recorded for it, of any revision
     */
    record Facts(int currentRevision, boolean withdrawn, boolean registeredAtTelecom, boolean cardsIssued, List<Verdict> verdicts) {

        Facts {
            verdicts = List.copyOf(verdicts);
        }
    }

    static Decision decide(Facts facts) {
        if (facts.withdrawn()) {
            return Decision.WITHDRAWN;
        }
        if (facts.cardsIssued()) {
            return Decision.ALREADY_ISSUED;
        }
        if (!facts.registeredAtTelecom()) {
            return Decision.AWAITING_TELECOM;
        }
        Set<Agency> approving = EnumSet.noneOf(Agency.class);
        for (Verdict verdict : facts.verdicts()) {
            if (verdict.revision() == facts.currentRevision() && verdict.outcome() == Outcome.APPROVED) {
                approving.add(verdict.agency());
            }
        }
        return approving.size() == Agency.values().length ? Decision.ISSUE : Decision.AWAITING_APPROVALS;
    }
}
