package cn.eport.web;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Forgets idempotency keys older than the retention (24 hours by default), hourly: what bounds the table. */
final class IdempotencyKeyJanitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyJanitor.class);

    private final JdbcClient jdbc;
    private final IdempotencySettings settings;
    private @Nullable ScheduledExecutorService scheduler;

    IdempotencyKeyJanitor(JdbcClient jdbc, IdempotencySettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    int forgetExpired() {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < now() - ?::interval")
                .param(settings.retention().toSeconds() + " seconds")
                .update();
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "idempotency-key-janitor");
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(() -> {
            try {
                int forgotten = forgetExpired();
                if (forgotten > 0) {
                    log.info("Forgot {} idempotency keys older than {}", forgotten, settings.retention());
                }
            } catch (RuntimeException e) {
                log.warn("Could not forget expired idempotency keys: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
        scheduler = started;
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
