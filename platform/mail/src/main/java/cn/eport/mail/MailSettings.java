package cn.eport.mail;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How decision mails are sent. The SMTP server itself is Spring Boot's {@code spring.mail.*}
 * ({@code SPRING_MAIL_HOST}, ...): without {@code spring.mail.host} nothing is sent, but mails are
 * still queued, and go out once a host is configured.
 *
 * @param enabled           whether this instance sends (every instance may: rows are claimed with SKIP LOCKED)
 * @param from              the From of every mail, a display name and an address
 * @param batchSize         mails claimed and sent over one SMTP connection per round
 * @param pollInterval      how long an idle sender waits before looking again when nothing woke it
 * @param lease             how long a claimed mail belongs to one sender: longer than a round's sending
 *                          (the SMTP timeouts times the batch); a sender killed mid-round leaves its mails
 *                          to be sent again after it, so a mail may rarely arrive twice, never not at all
 * @param retryFirstDelay   the wait after the first failed attempt
 * @param retryMaxDelay     the longest wait between attempts (the wait doubles up to this)
 * @param giveUpAfter       how long after it was queued a mail that still could not be sent is marked
 *                          FAILED, with an ALERT in the log
 */
@Validated
@ConfigurationProperties("eport.mail")
public record MailSettings(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("E-Port 中国电子口岸 <noreply@eport.example>") String from,
        @Min(1) @Max(500) @DefaultValue("20") int batchSize,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @NotNull @DefaultValue("5m") Duration lease,
        @NotNull @DefaultValue("5s") Duration retryFirstDelay,
        @NotNull @DefaultValue("10m") Duration retryMaxDelay,
        @NotNull @DefaultValue("24h") Duration giveUpAfter) {

    /** The wait after failed attempt number {@code attempts} (1 for the first). */
    Duration retryDelay(int attempts) {
        Duration delay = retryFirstDelay.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return delay.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : delay;
    }
}
