package cn.eport.dashboard;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param consumerGroups   the consumer groups whose lag the page shows; a group that does not exist yet is shown as such
 * @param lagRefresh       how often the lag is read from the broker
 * @param pushInterval     how often the live page gets a fresh snapshot
 * @param throughputWindow the trailing window an agency's throughput per minute is averaged over
 * @param streamTimeout    how long one live connection lasts before the browser reconnects (with its token)
 * @param sealAlertAfter   a deciding service whose last seal is older than this shows as an alert (it seals
 *                         at least once a minute by default)
 * @param timeLimitWorkingDays the agencies' statutory time limit where none has said otherwise yet: each
 *                         agency's own, as its escalations carry it, wins
 * @param slaRefresh       how often this month's SLA figures are computed again: they read every final verdict of the month
 */
@Validated
@ConfigurationProperties("eport.dashboard")
record DashboardSettings(
        @NotEmpty List<String> consumerGroups,
        @NotNull @DefaultValue("5s") Duration lagRefresh,
        @NotNull @DefaultValue("1s") Duration pushInterval,
        @NotNull @DefaultValue("5m") Duration throughputWindow,
        @NotNull @DefaultValue("30m") Duration streamTimeout,
        @NotNull @DefaultValue("3m") Duration sealAlertAfter,
        @Min(1) @Max(60) @DefaultValue("3") int timeLimitWorkingDays,
        @NotNull @DefaultValue("60s") Duration slaRefresh) {
}
