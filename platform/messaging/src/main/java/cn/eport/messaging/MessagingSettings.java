package cn.eport.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How this service publishes and consumes.
 *
 * @param service        the service's name: the CloudEvents source is {@code /eport/<service>} and its
 *                       consumer group and dead-letter topic are named after it
 * @param relay          the outbox relay
 * @param inboxRetention how long consumed event ids are kept for deduplication
 * @param quarantine     when a record whose handling keeps failing is set aside
 * @param instanceId     this instance's name in its consumer groups, stable across its restarts (static
 *                       membership); unset, it joins as a new member each time
 */
@Validated
@ConfigurationProperties("eport.messaging")
public record MessagingSettings(
        @NotBlank String service,
        @Valid @NotNull @DefaultValue Relay relay,
        @NotNull @DefaultValue("P30D") Duration inboxRetention,
        @Valid @NotNull @DefaultValue Quarantine quarantine,
        @Nullable @Size(max = 100) String instanceId) {

    /**
     * @param enabled      whether this instance relays (every instance may: one at a time holds the lock)
     * @param batchSize    rows sent per round trip to the broker
     * @param pollInterval how long an idle relay waits before looking again when nothing woke it
     * @param sendTimeout  how long to wait for the broker to acknowledge a batch
     */
    public record Relay(
            @DefaultValue("true") boolean enabled,
            @Min(1) @Max(10_000) @DefaultValue("500") int batchSize,
            @NotNull @DefaultValue("500ms") Duration pollInterval,
            @NotNull @DefaultValue("30s") Duration sendTimeout) {
    }

    /**
     * @param attempts how often one record's handling is tried, alone in its transaction, before it is
     *                 quarantined (failures for want of the database or the broker are retried without bound)
     * @param backoff  the wait before the second attempt, doubling for each one after
     */
    public record Quarantine(
            @Min(1) @Max(10) @DefaultValue("3") int attempts,
            @NotNull @DefaultValue("10ms") Duration backoff) {
    }

    public String source() {
        return "/eport/" + service;
    }
}
