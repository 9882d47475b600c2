package cn.eport.agencycheck;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the kit works through accepted applications.
 *
 * @param batchSize         checks claimed per round
 * @param pollInterval      how often an idle worker looks for checks that are due again
 * @param lease             how long a claimed check belongs to one worker before another may take it: longer
 *                          than a registry round (timeouts and retries, ~10 s), short enough that a check
 *                          whose worker was killed is soon taken again; a lost lease decides nothing twice
 * @param recheckFirstDelay how long a check parked by a registry outage waits before its first retry
 * @param recheckMaxDelay   the longest it waits between retries (the wait doubles up to this)
 * @param probeInterval     while checks are parked, how often one of them is tried early to see whether
 *                          the registry answers again; when it does, every parked check is due at once
 * @param timeLimit         the agency's statutory time limit and its escalations
 * @param registryFeed      how the agency follows its registry's changes after it approved
 */
@Validated
@ConfigurationProperties("eport.agency-check")
public record AgencyCheckSettings(
        @Min(1) @Max(1000) @DefaultValue("100") int batchSize,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @NotNull @DefaultValue("30s") Duration lease,
        @NotNull @DefaultValue("5s") Duration recheckFirstDelay,
        @NotNull @DefaultValue("5m") Duration recheckMaxDelay,
        @NotNull @DefaultValue("2s") Duration probeInterval,
        @Valid @NotNull @DefaultValue TimeLimit timeLimit,
        @Valid @NotNull @DefaultValue RegistryFeed registryFeed) {

    /**
     * Following the registry's change feed: each change to a record a standing approval rests on has
     * the rules decide again, and an approval they now reject is withdrawn.
     *
     * @param follow   whether this instance follows the feed at all
     * @param interval how often an idle follower asks for changes: the longest a change waits to be seen
     * @param pageSize changes asked for at once; a full page is followed by the next at once
     * @param expirySweep how often the follower also looks for standing approvals resting on a record whose last
     *                    valid day has passed, which no change tells of (and once at start)
     */
    public record RegistryFeed(
            @DefaultValue("true") boolean follow,
            @NotNull @DefaultValue("5s") Duration interval,
            @Min(1) @Max(1000) @DefaultValue("100") int pageSize,
            @NotNull @DefaultValue("1h") Duration expirySweep) {
    }

    /**
     * The agency's time limit (时限): from accepting a check to its final verdict, in working days on
     * the Chinese calendar; {@code EPORT_TIME_LIMIT_WORKING_DAYS} sets it per agency service.
     *
     * @param workingDays        the limit
     * @param warningShare       the share of it at which a warning is raised
     * @param escalationInterval how often the service looks for checks that reached either
     */
    public record TimeLimit(
            @Min(1) @Max(60) @DefaultValue("3") int workingDays,
            @DecimalMin("0.1") @DecimalMax("0.99") @DefaultValue("0.8") double warningShare,
            @NotNull @DefaultValue("5s") Duration escalationInterval) {
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    Duration recheckDelay(int attempt) {
        Duration delay = recheckFirstDelay.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(recheckMaxDelay) > 0 ? recheckMaxDelay : delay;
    }
}
