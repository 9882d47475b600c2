package cn.eport.agencycheck.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
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
 * How an agency service reaches its registry, and how patiently.
 *
 * @param baseUrl        the registry, e.g. {@code http://registry.tax.example/api}; required when the rules ask it anything
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    how long to wait for an answer: the timeout of one attempt
 */
@Validated
@ConfigurationProperties("eport.registry")
public record RegistrySettings(
        @Nullable URI baseUrl,
        @NotNull @DefaultValue("1s") Duration connectTimeout,
        @NotNull @DefaultValue("2s") Duration readTimeout,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue CircuitBreaker circuitBreaker,
        @Valid @NotNull @DefaultValue Bulkhead bulkhead) {

    /**
     * Attempts within one check: exponential backoff with jitter.
     *
     * @param maxAttempts    attempts per look-up, the first included
     * @param initialBackoff wait before the second attempt
     * @param multiplier     growth of the wait per attempt
     * @param jitter         the wait varies by up to this fraction either way
     */
    public record Retry(@Min(1) @Max(10) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration initialBackoff,
            @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double jitter) {
    }

    /**
     * Stops calling a registry that keeps failing, so checks park at once instead of waiting out timeouts.
     *
     * @param failureRatePercent  failure rate that opens the circuit
     * @param slidingWindowCalls  calls the rate is measured over
     * @param minimumCalls        calls before the rate counts
     * @param openFor             how long it stays open before letting trial calls through
     */
    public record CircuitBreaker(@Min(1) @Max(100) @DefaultValue("50") int failureRatePercent,
            @Min(1) @DefaultValue("20") int slidingWindowCalls,
            @Min(1) @DefaultValue("10") int minimumCalls,
            @NotNull @DefaultValue("5s") Duration openFor) {
    }

    /**
     * @param maxConcurrentCalls registry requests in flight at once, per service instance
     * @param maxWait            how long a look-up waits for a free slot
     */
    public record Bulkhead(@Min(1) @Max(256) @DefaultValue("4") int maxConcurrentCalls,
            @NotNull @DefaultValue("500ms") Duration maxWait) {
    }
}
