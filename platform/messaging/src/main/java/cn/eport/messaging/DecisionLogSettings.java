package cn.eport.messaging;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sealed decision log ({@link DecisionChain}, docs/evidence.md).
 *
 * @param enabled      whether this service keeps one: every deciding service does (it then needs its
 *                     signing key); the dashboard, which decides nothing, does not
 * @param sealInterval the longest time between two seals, also while nothing was appended
 * @param sealEvery    a seal as soon as the log has grown by this many entries since the last one
 * @param alertAfter   a head unsealed for longer than this is an alert: logged, on the health
 *                     endpoint, and on the dashboard (its seals stop arriving)
 * @param tsaUrl       an RFC 3161 time-stamping authority; where set, a head counts as sealed only once
 *                     it is timestamped too
 * @param tsaTimeout   how long to wait for the time-stamping authority
 */
@Validated
@ConfigurationProperties("eport.decision-log")
public record DecisionLogSettings(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("1m") Duration sealInterval,
        @Min(1) @Max(100_000) @DefaultValue("1000") int sealEvery,
        @NotNull @DefaultValue("3m") Duration alertAfter,
        @Nullable URI tsaUrl,
        @NotNull @DefaultValue("10s") Duration tsaTimeout) {
}
