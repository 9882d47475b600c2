package cn.eport.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MailSettingsTest {

    private final MailSettings defaults = new MailSettings(true, "E-Port 中国电子口岸 <noreply@eport.example>", 20,
            Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofHours(24));

    @Test
    void theWaitBetweenAttemptsDoublesFromFiveSecondsUpToTenMinutes() {
        assertThat(defaults.retryDelay(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.retryDelay(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.retryDelay(7)).isEqualTo(Duration.ofSeconds(320));
        assertThat(defaults.retryDelay(8)).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.retryDelay(500)).isEqualTo(Duration.ofMinutes(10));
    }
}
