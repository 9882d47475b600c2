package cn.eport.dashboard;

import cn.eport.contracts.Reason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One application's history as the topics told it, oldest first.
 *
 * @param slipNumber the appointment slip, once the submission has been seen
 * @param revision   the current revision, once a submission has been seen
 * @param enterprise the enterprise's name, once a submission has been seen
 */
record Timeline(UUID applicationId, @Nullable String slipNumber, @Nullable Integer revision, @Nullable String enterprise,
        List<Entry> events) {

    /**
     * @param kind       SUBMITTED, VERDICT, CARDS_ISSUED, or the event type of anything else
     * @param actor      who acted: the submitting account, the rule set or reviewer ({@code REVIEWER:r-0001}), or the service
     * @param agencyName the agency's official Chinese name, for verdicts
     */
    record Entry(Instant at, String kind, @Nullable Integer revision, @Nullable String agency, @Nullable String agencyName,
            @Nullable String outcome, List<Reason> reasons, String actor) {
    }
}
