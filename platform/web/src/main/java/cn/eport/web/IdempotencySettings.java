package cn.eport.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@link Idempotent} endpoints keep their answers.
 *
 * @param retention      how long a key and its answer are kept: a repeat within it gets the first
 *                       answer; the janitor forgets older keys hourly, so a key lives up to an hour longer
 * @param maxAnswerBytes the largest answer (body and headers) kept; an endpoint whose answer is larger
 *                       fails with 500 and changes nothing, rather than be done without its key
 */
@Validated
@ConfigurationProperties("eport.web.idempotency")
public record IdempotencySettings(
        @NotNull @DurationMin(minutes = 1) @DefaultValue("24h") Duration retention,
        @Min(1024) @Max(1_048_576) @DefaultValue("65536") int maxAnswerBytes) {
}
