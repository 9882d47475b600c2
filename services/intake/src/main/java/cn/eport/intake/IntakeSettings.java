package cn.eport.intake;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param release           when submitted and amended applications reach the agencies
 * @param personalDataReads how long the log of who read whose personal data is kept
 * @param webhooks          how intake delivers every application's changes to its subscribers
 */
@Validated
@ConfigurationProperties("eport.intake")
public record IntakeSettings(@Valid @NotNull @DefaultValue Release release,
        @Valid @NotNull @DefaultValue PersonalDataReads personalDataReads,
        @Valid @NotNull @DefaultValue Evidence evidence,
        @Valid @NotNull @DefaultValue Webhooks webhooks) {

    /**
     * @param allowLoopback   development only: also plain http to a loopback host (the sandbox's
     *                        receivers); in production every endpoint is https to a public address
     * @param pollInterval    how often an idle dispatcher looks for due deliveries
     * @param batchSize       deliveries claimed per round
     * @param connectTimeout  per attempt
     * @param responseTimeout per attempt: an endpoint slower than this failed
     * @param lease           how long a claimed delivery is one dispatcher's
     * @param firstRetry      the shortest wait after a failure; the longest doubles from it, with full jitter
     * @param maxRetryWait    the longest wait between two tries
     * @param giveUpAfter     how long a failing subscription is retried before it is disabled and its
     *                        undelivered messages dead-lettered
     */
    public record Webhooks(@DefaultValue("false") boolean allowLoopback,
            @NotNull @DefaultValue("500ms") Duration pollInterval,
            @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(500) @DefaultValue("50") int batchSize,
            @NotNull @DefaultValue("5s") Duration connectTimeout,
            @NotNull @DefaultValue("10s") Duration responseTimeout,
            @NotNull @DefaultValue("60s") Duration lease,
            @NotNull @DefaultValue("5s") Duration firstRetry,
            @NotNull @DefaultValue("1h") Duration maxRetryWait,
            @NotNull @DefaultValue("24h") Duration giveUpAfter) {

        cn.eport.webhooks.RetrySchedule retrySchedule() {
            return new cn.eport.webhooks.RetrySchedule(firstRetry, maxRetryWait, giveUpAfter);
        }
    }

    /**
     * Where intake fetches the other services' parts of a case's evidence bundle (docs/evidence.md).
     *
     * @param sources {@code service=base URL} pairs, comma-separated: every deciding service but intake
     *                (quality-check, commerce-check, tax-check, trade-check, forex-check, customs-check,
     *                card-issuance, telecom). A case's bundle is exported only when each of them answers.
     * @param timeout how long to wait for one service's part
     */
    public record Evidence(@DefaultValue("") String sources, @NotNull @DefaultValue("10s") Duration timeout) {

        /** {@link #sources} by service, in the order given. */
        public Map<String, URI> sourceUrls() {
            Map<String, URI> urls = new LinkedHashMap<>();
            for (String pair : sources.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("eport.intake.evidence.sources: '" + pair.trim() + "' is not service=url");
                }
                urls.put(pair.substring(0, equals).trim(), URI.create(pair.substring(equals + 1).trim()));
            }
            return urls;
        }
    }

    /**
     * @param retention how long a read stays in the log. Three years by default: long enough for a
     *                  complaint about an application to be answered from it, and the log holds no
     *                  personal data of the enterprise's own
     */
    public record PersonalDataReads(@NotNull @DefaultValue("P1095D") Duration retention) {
    }

    /**
     * @param mode     IMMEDIATE (the default): at once; BATCH: held until the next scheduled release,
     *                 as in the monthly joint processing after the campaign (每月一次集中办理)
     * @param schedule in batch mode, when releases run: a Spring cron expression in {@code zone}
     * @param zone     the time zone of the schedule
     */
    public record Release(@NotNull @DefaultValue("IMMEDIATE") Mode mode,
            @NotBlank @DefaultValue("0 0 9 1 * *") String schedule,
            @NotBlank @DefaultValue("Asia/Shanghai") String zone) {
    }

    public enum Mode {
        IMMEDIATE,
        BATCH
    }
}
