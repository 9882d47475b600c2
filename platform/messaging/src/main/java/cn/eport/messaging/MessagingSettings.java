package cn.eport.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
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
 */
@Validated
@ConfigurationProperties("eport.messaging")
public record MessagingSettings(
        @NotBlank String service,
        @Valid @NotNull @DefaultValue Relay relay,
        @NotNull @DefaultValue("P30D") Duration inboxRetention) {

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

    public String source() {
        return "/eport/" + service;
    }
}
