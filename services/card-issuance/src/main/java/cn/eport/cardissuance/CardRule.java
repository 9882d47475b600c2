package cn.eport.cardissuance;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Outcome;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When an application gets its card set: it was not withdrawn, telecom has registered the
 * enterprise, it has no card set yet, and all six agencies approved its current revision (an approval
 * its agency withdrew does not count). And when an issued set is approved again: all six approved a
 * revision newer than the one the set rests on (an amendment after a withdrawal, or to add an operator). Plain
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
        ISSUE,
        /** The set exists and all six approved a newer revision than the one it rests on: reinstate it, add operators. */
        APPROVED_AGAIN
    }

    /**
     * One agency's verdict as recorded.
     *
     * @param revision the revision it decided
     */
    record Verdict(int revision, Agency agency, Outcome outcome) {
    }

    /** An agency withdrew its approval of {@code revision}: that approval no longer counts. */
    record Withdrawal(int revision, Agency agency) {
    }

    /**
     * What is known of one application.
     *
     * @param currentRevision     the newest revision seen
     * @param withdrawn           the applicant withdrew it
     * @param registeredAtTelecom telecom registered the enterprise's 17999 card
     * @param cardsIssued         its card set exists already
     * @param restsOn             the revision all six last approved for the card set; 0 while there is none
     * @param verdicts            every verdict recorded for it, of any revision
     * @param withdrawals         every approval withdrawn by its agency, of any revision
     */
    record Facts(int currentRevision, boolean withdrawn, boolean registeredAtTelecom, boolean cardsIssued, int restsOn,
            List<Verdict> verdicts, List<Withdrawal> withdrawals) {

        Facts {
            verdicts = List.copyOf(verdicts);
            withdrawals = List.copyOf(withdrawals);
        }
    }

    static Decision decide(Facts facts) {
        if (facts.withdrawn()) {
            return Decision.WITHDRAWN;
        }
        boolean allSixApprove = allSixApprove(facts);
        if (facts.cardsIssued()) {
            return allSixApprove && facts.currentRevision() > facts.restsOn() ? Decision.APPROVED_AGAIN : Decision.ALREADY_ISSUED;
        }
        if (!facts.registeredAtTelecom()) {
            return Decision.AWAITING_TELECOM;
        }
        return allSixApprove ? Decision.ISSUE : Decision.AWAITING_APPROVALS;
    }

    /** Every agency approved the current revision and none withdrew that approval. */
    private static boolean allSixApprove(Facts facts) {
        Set<Agency> approving = EnumSet.noneOf(Agency.class);
        for (Verdict verdict : facts.verdicts()) {
            if (verdict.revision() == facts.currentRevision() && verdict.outcome() == Outcome.APPROVED) {
                approving.add(verdict.agency());
            }
        }
        for (Withdrawal withdrawal : facts.withdrawals()) {
            if (withdrawal.revision() == facts.currentRevision()) {
                approving.remove(withdrawal.agency());
            }
        }
        return approving.size() == Agency.values().length;
    }
}
