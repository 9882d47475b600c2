package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the page shows at one moment; the live stream pushes one of these every second.
 *
 * @param at          when it was taken
 * @param funnel      applications from submission to cards
 * @param agencies    one row per agency, in the order of {@link Agency}
 * @param deadLetters every consumer group's dead letters
 * @param quarantine  records a service's handler failed on again and again, not yet replayed: an alert
 * @param consumerLag every consumer group's lag, as last read from the broker
 * @param decisionLogs every deciding service's last seal of its decision log: an alert when one is too old
 * @param clocks      each agency's statutory clock: its oldest pending check against its limit, and the open escalations
 * @param activity    the last hour, minute by minute: submissions, amendments, each agency's verdicts and card sets
 * @param cards       the card sets after issue: by state, and every suspension by its reason
 */
record Snapshot(Instant at, Funnel funnel, List<AgencyRow> agencies, DeadLetters deadLetters, Quarantine quarantine,
        ConsumerLag.Reading consumerLag, DecisionLogs decisionLogs, Clocks clocks, Activity activity, Cards cards) {

    /**
     * @param byState             issued card sets by state, always ACTIVE, SUSPENDED and CANCELLED in that order
     * @param suspensionsByReason every suspension so far (of a whole set by an agency's withdrawal, or of one card
     *                            reported lost) by reason code, the most frequent first
     */
    record Cards(List<StateCount> byState, List<ReasonCount> suspensionsByReason) {
    }

    record StateCount(String state, long count) {
    }

    /**
     * The last hour by event time, per whole UTC minute. Each thing counts once, in the minute of the
     * first event that told of it, however often that event was delivered or the same thing published again.
     *
     * @param from      the start of the first minute: 59 minutes before the start of the current one
     * @param to        the snapshot's time, within the last minute (the current one, so far)
     * @param minutes   sixty, oldest first, one for each minute even when nothing happened in it
     * @param submitted the hour's applications submitted (the minutes' sum)
     * @param amended   the hour's amendments (the minutes' sum)
     * @param verdicts  the hour's verdicts of each agency (the minutes' sums), in the order of {@link Agency}, with
     *                  the agency's official Chinese name
     * @param cardSets  the hour's card sets issued (the minutes' sum)
     */
    record Activity(Instant from, Instant to, List<Minute> minutes, long submitted, long amended, List<AgencyVerdicts> verdicts,
            long cardSets) {
    }

    /**
     * One minute of {@link Activity}.
     *
     * @param start     its first instant, a whole UTC minute; it lasts until the next one starts
     * @param submitted applications submitted in it, each application once
     * @param amended   amendments made in it, each revision once
     * @param verdicts  every agency (in the order of {@link Agency}) with its verdicts given in it: an application
     *                  revision's outcome, each once (a referral and the reviewer's decision after it are two)
     * @param cardSets  card sets issued in it, one per application
     */
    record Minute(Instant start, long submitted, long amended, Map<Agency, Long> verdicts, long cardSets) {
    }

    /**
     * @param zhName the agency's official Chinese name, for the chart's legend
     * @param total  its verdicts over the hour
     */
    record AgencyVerdicts(Agency agency, String zhName, long total) {
    }

    /**
     * @param agencies one row per agency, in the order of {@link Agency}
     * @param open     the open escalations of every agency, breaches first, then by deadline: the oldest first
     * @param month    this month's SLA figures per agency, as the topics show them ({@link AgencyClocks})
     */
    record Clocks(List<AgencyClock> agencies, List<Escalation> open, List<MonthOnTheClock> month) {
    }

    /**
     * One agency's month on the clock (China Standard Time): its final verdicts of the month, timed from
     * the revision's publication to the verdict in working hours.
     *
     * @param decided            final verdicts given in the month
     * @param decidedOnTime      of those, within the limit
     * @param onTimeShare        {@code decidedOnTime / decided}; none without a decision
     * @param medianWorkingHours the nearest-rank median decision time; none likewise
     * @param p90WorkingHours    the nearest-rank 90th percentile; none likewise
     * @param breaches           breaches the agency raised in the month
     * @param computedAt         when these figures were computed (at most {@code eport.dashboard.sla-refresh} ago)
     */
    record MonthOnTheClock(Agency agency, String zhName, String month, int timeLimitWorkingDays, long decided, long decidedOnTime,
            @Nullable Double onTimeShare, @Nullable Double medianWorkingHours, @Nullable Double p90WorkingHours, long breaches,
            Instant computedAt) {
    }

    /**
     * @param timeLimitWorkingDays       the agency's limit, as its latest escalation gave it (or the default)
     * @param oldestPendingWorkingHours  working time since the oldest pending check's revision was submitted
     * @param oldestPendingShareOfLimit  that, as a share of the limit: 0.8 is the warning, 1 the breach
     * @param openWarnings               checks past 80 % of the limit, not yet breached nor decided
     * @param openBreaches               checks past the limit and not decided
     */
    record AgencyClock(Agency agency, String zhName, int timeLimitWorkingDays, @Nullable Double oldestPendingWorkingHours,
            @Nullable Double oldestPendingShareOfLimit, long openWarnings, long openBreaches) {
    }

    /** An open escalation: the agency has not decided that revision yet. {@code level} is the highest raised. */
    record Escalation(Agency agency, String zhName, java.util.UUID applicationId, int revision, String slipNumber, String level,
            Instant acceptedAt, Instant deadline, String waitingFor, Instant raisedAt) {
    }

    /**
     * @param alert             whether any service's head has gone unsealed longer than {@code alertAfterSeconds}
     * @param alertAfterSeconds the bound
     * @param services          one row per deciding service
     */
    record DecisionLogs(boolean alert, long alertAfterSeconds, List<SealRow> services) {
    }

    /**
     * @param seq         the head its last seal covers
     * @param sealedAt    when; none when no seal of it was seen yet
     * @param ageSeconds  how old that seal is
     * @param timestamped whether a time-stamping authority timestamped it
     * @param alert       no seal seen, or the last one older than the bound
     */
    record SealRow(String service, long seq, @Nullable Instant sealedAt, @Nullable Long ageSeconds, boolean timestamped, boolean alert) {
    }

    /**
     * @param submitted         applications seen
     * @param decided           per agency, applications whose current revision it has decided (approved or rejected)
     * @param approvedByAll     applications whose current revision all six agencies approved
     * @param telecomRegistered applications whose enterprise telecom registered (17999), the last condition for the cards
     * @param cardsIssued       applications whose card set was issued
     * @param withdrawn         applications withdrawn, which leave the funnel wherever they were
     */
    record Funnel(long submitted, List<Stage> decided, long approvedByAll, long telecomRegistered, long cardsIssued,
            long withdrawn) {
    }

    record Stage(Agency agency, String zhName, long count) {
    }

    /**
     * One agency, counted by application revision (never by event).
     *
     * @param approved               revisions it approved (by rules or on review)
     * @param rejected               revisions it rejected
     * @param referred               revisions it referred to a reviewer, whatever the reviewer decided since
     * @param throughputPerMinute    verdicts a minute over the trailing throughput window
     * @param reviewQueue            referred current revisions still waiting for a reviewer
     * @param pending                current revisions of applications not withdrawn that it has given no verdict on yet
     * @param oldestPendingSince     when the oldest of those was submitted
     * @param oldestPendingAgeSeconds how long that one has waited, at {@link Snapshot#at()}
     */
    record AgencyRow(Agency agency, String zhName, String enName, long approved, long rejected, long referred,
            double throughputPerMinute, long reviewQueue, long pending, @Nullable Instant oldestPendingSince,
            @Nullable Long oldestPendingAgeSeconds) {
    }

    record DeadLetters(long total, List<DeadLetterGroup> groups) {
    }

    /** One consumer group's dead letters, with its most frequent reasons. */
    record DeadLetterGroup(String group, long count, Instant lastCountedAt, List<ReasonCount> reasons) {
    }

    record ReasonCount(String reason, long count) {
    }

    /**
     * @param open   quarantined records not yet replayed, over all services
     * @param alert  whether any is open: ops must fix the cause and replay ({@code POST /api/quarantine/replay} on that service)
     * @param oldest the one that has waited longest, if any
     * @param groups open records per consumer group
     */
    record Quarantine(long open, boolean alert, @Nullable Quarantined oldest, List<QuarantineGroup> groups) {
    }

    record Quarantined(String group, String eventKey, @Nullable String applicationId, String reason, @Nullable String stackHash,
            Instant since) {
    }

    record QuarantineGroup(String group, long open) {
    }
}
