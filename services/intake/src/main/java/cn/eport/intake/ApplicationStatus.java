package cn.eport.intake;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Channel;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Reason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where an application stands, as its applicant sees it.
 *
 * @param revision the current revision: 1, plus one per amendment
 * @param status   HELD (waiting for the next scheduled release to the agencies), SUBMITTED (no verdict
 *                 yet), UNDER_REVIEW, REJECTED (some agency rejected the current revision: see its
 *                 reasons, amend and submit again), APPROVED (all six approved: register with telecom
 *                 at the joint office to get the cards), CARDS_ISSUED, CARDS_SUSPENDED (an agency withdrew
 *                 its approval: see the card set's reason, amend and submit again), CANCELLED (the account was
 *                 cancelled at the counter: final), WITHDRAWN
 * @param agencies one entry per agency for the current revision, in the order of the joint review
 * @param telecom  telecom's 17999 registration, once made
 * @param cards    the card set once issued: collect it against the appointment slip
 * @param processingProblems which services could not process one of its events, and whether they
 *                 have since (after ops fixed the cause and replayed it); empty when all went well
 */
record ApplicationStatus(
        UUID applicationId,
        int revision,
        String slipNumber,
        Status status,
        Channel channel,
        Instant submittedAt,
        List<AgencyProgress> agencies,
        @Nullable Telecom telecom,
        @Nullable Cards cards,
        List<ProcessingProblems.Problem> processingProblems) {

    enum Status {
        HELD,
        SUBMITTED,
        UNDER_REVIEW,
        REJECTED,
        APPROVED,
        CARDS_ISSUED,
        CARDS_SUSPENDED,
        CANCELLED,
        WITHDRAWN
    }

    record Telecom(String networkCardNumber, Instant registeredAt) {
    }

    /**
     * @param outcome PENDING until the agency's verdict arrives, then APPROVED, REJECTED or REFERRED
     */
    record AgencyProgress(Agency agency, String name, String document, String outcome, List<Reason> reasons,
            @Nullable String decidedBy, @Nullable Instant decidedAt) {
    }

    /**
     * The card set as issued (card issuance's {@code GET /api/card-sets/{id}} has every card's state since).
     *
     * @param state            ACTIVE, SUSPENDED or CANCELLED
     * @param suspendedBy      the agency that withdrew its approval, while SUSPENDED
     * @param suspensionReason its reason, while SUSPENDED
     */
    record Cards(IssuedCard legalPersonCard, List<IssuedCard> operatorCards, Instant issuedAt, String state,
            @Nullable Agency suspendedBy, @Nullable Reason suspensionReason) {
    }

    static Status statusOf(List<AgencyProgress> agencies, @Nullable Cards cards, boolean withdrawn, boolean held) {
        if (cards != null) {
            return switch (cards.state()) {
                case "SUSPENDED" -> Status.CARDS_SUSPENDED;
                case "CANCELLED" -> Status.CANCELLED;
                default -> Status.CARDS_ISSUED;
            };
        }
        if (withdrawn) {
            return Status.WITHDRAWN;
        }
        if (held) {
            return Status.HELD;
        }
        if (agencies.stream().anyMatch(a -> a.outcome().equals("REJECTED"))) {
            return Status.REJECTED;
        }
        if (agencies.stream().allMatch(a -> a.outcome().equals("APPROVED"))) {
            return Status.APPROVED;
        }
        return agencies.stream().allMatch(a -> a.outcome().equals("PENDING")) ? Status.SUBMITTED : Status.UNDER_REVIEW;
    }
}
