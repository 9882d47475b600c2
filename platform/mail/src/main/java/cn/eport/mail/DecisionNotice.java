package cn.eport.mail;

import cn.eport.contracts.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A decision the applicant must act on, with what the mail tells them.
 *
 * @param kind                              what was decided
 * @param applicationId                     the application
 * @param revision                          its revision the decision is about
 * @param slipNumber                        the appointment slip number (预约单号) the applicant knows it by
 * @param enterpriseName                    the enterprise's registered name
 * @param legalRepresentativeName           the legal representative, who brings their ID card to customs
 * @param maskedLegalRepresentativeIdNumber their ID number as it may be shown: {@code 110***********002X}
 * @param reasons                           why, for a rejection or a suspension; empty for an approval
 * @param agencyZhName                      the agency that rejected, by its Chinese name; null when no single agency did
 * @param agencyEnName                      the same in English
 * @param decidedAt                         when it was decided
 */
public record DecisionNotice(Kind kind, UUID applicationId, int revision, String slipNumber, String enterpriseName,
        String legalRepresentativeName, String maskedLegalRepresentativeIdNumber, List<Reason> reasons,
        @Nullable String agencyZhName, @Nullable String agencyEnName, Instant decidedAt) {

    /** What happened that the applicant must act on. */
    public enum Kind {
        /** An agency rejected the application: amend and resubmit. */
        REJECTED,
        /** All six agencies approved: go to telecom and customs for the cards. */
        APPROVED,
        /** The enterprise's card set was suspended. */
        SUSPENDED
    }

    public DecisionNotice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(slipNumber, "slipNumber");
        Objects.requireNonNull(enterpriseName, "enterpriseName");
        Objects.requireNonNull(legalRepresentativeName, "legalRepresentativeName");
        Objects.requireNonNull(maskedLegalRepresentativeIdNumber, "maskedLegalRepresentativeIdNumber");
        Objects.requireNonNull(decidedAt, "decidedAt");
        reasons = List.copyOf(reasons);
    }

    /**
     * What makes two notices the same mail: a redelivered event builds the same key and queues
     * nothing new, while the same application's next revision, or another agency's rejection, is a mail of its own.
     */
    String dedupeKey() {
        String agency = agencyEnName != null ? agencyEnName : agencyZhName != null ? agencyZhName : "-";
        return applicationId + "/" + revision + "/" + kind + "/" + agency;
    }
}
