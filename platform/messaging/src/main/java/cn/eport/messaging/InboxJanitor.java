package cn.eport.messaging;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Forgets consumed event ids older than the retention, hourly. Redeliveries come within minutes or
 * hours of the original; the retention (30 days by default) is the dedup window.
 */
final class InboxJanitor {

    private static final Logger log = LoggerFactory.getLogger(InboxJanitor.class);

    private final JdbcClient jdbc;
    private final MessagingSettings settings;

    InboxJanitor(JdbcClient jdbc, MessagingSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    int forgetExpired() {
        return jdbc.sql("DELETE FROM inbox WHERE consumed_at < now() - ?::interval")
                .param(settings.inboxRetention().toSeconds() + " seconds")
                .update();
    }

    /** Hourly, and once a minute after start; each instance may run it, the delete is the same. */
    @Scheduled(initialDelay = 1, fixedDelay = 60, timeUnit = TimeUnit.MINUTES)
    void forgetExpiredHourly() {
        try {
            int forgotten = forgetExpired();
            if (forgotten > 0) {
                log.info("Forgot {} consumed event ids older than {}", forgotten, settings.inboxRetention());
            }
        } catch (RuntimeException e) {
            log.warn("Could not clean the inbox: {}", e.toString());
        }
    }
}
