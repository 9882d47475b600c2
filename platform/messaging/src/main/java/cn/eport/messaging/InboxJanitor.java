package cn.eport.messaging;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Forgets consumed event ids older than the retention, hourly. Redeliveries come within minutes or
 * hours of the original; the retention (30 days by default) is the dedup window.
 */
final class InboxJanitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxJanitor.class);

    private final JdbcClient jdbc;
    private final MessagingSettings settings;
    private ScheduledExecutorService scheduler;

    InboxJanitor(JdbcClient jdbc, MessagingSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    int forgetExpired() {
        return jdbc.sql("DELETE FROM inbox WHERE consumed_at < now() - ?::interval")
                .param(settings.inboxRetention().toSeconds() + " seconds")
                .update();
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "inbox-janitor-" + settings.service());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                int forgotten = forgetExpired();
                if (forgotten > 0) {
                    log.info("Forgot {} consumed event ids older than {}", forgotten, settings.inboxRetention());
                }
            } catch (RuntimeException e) {
                log.warn("Could not clean the inbox: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
