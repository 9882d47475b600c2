package cn.eport.dashboard;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live page's feed: Server-Sent Events carrying a {@link Snapshot} as JSON ({@code event: snapshot}),
 * one on connecting and then one every push interval while anyone is watching. The snapshot is taken
 * once per push, whoever is watching. A connection lasts the stream timeout; the browser's
 * EventSource then reconnects by itself.
 */
@Component
class SnapshotStream implements SmartLifecycle {

    static final String EVENT_NAME = "snapshot";
    private static final long RECONNECT_MILLIS = 3_000;
    private static final Logger log = LoggerFactory.getLogger(SnapshotStream.class);

    private final DashboardView view;
    private final JsonMapper json;
    private final DashboardSettings settings;
    private final Set<SseEmitter> watchers = ConcurrentHashMap.newKeySet();
    private @Nullable ScheduledExecutorService scheduler;

    SnapshotStream(DashboardView view, JsonMapper json, DashboardSettings settings) {
        this.view = view;
        this.json = json;
        this.settings = settings;
    }

    SseEmitter watch() {
        SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
        emitter.onCompletion(() -> watchers.remove(emitter));
        emitter.onTimeout(() -> watchers.remove(emitter));
        emitter.onError(failure -> watchers.remove(emitter));
        send(emitter, render());
        watchers.add(emitter);
        return emitter;
    }

    /** Sends a fresh snapshot to everyone watching. */
    void push() {
        if (watchers.isEmpty()) {
            return;
        }
        String snapshot;
        try {
            snapshot = render();
        } catch (RuntimeException e) {
            log.warn("Could not take a snapshot for the live page: {}", e.toString());
            return;
        }
        for (SseEmitter emitter : watchers) {
            send(emitter, snapshot);
        }
    }

    int watching() {
        return watchers.size();
    }

    private String render() {
        return json.writeValueAsString(view.snapshot());
    }

    private void send(SseEmitter emitter, String snapshot) {
        try {
            emitter.send(SseEmitter.event().name(EVENT_NAME).reconnectTime(RECONNECT_MILLIS).data(snapshot));
        } catch (IOException | IllegalStateException e) {
            // The browser went away (or the connection timed out): forget it; it reconnects if it wants to.
            watchers.remove(emitter);
            emitter.completeWithError(e);
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dashboard-live-push");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.pushInterval().toMillis();
        executor.scheduleWithFixedDelay(this::push, every, every, TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        // Open connections would otherwise hold the web server's shutdown for their whole timeout.
        watchers.forEach(SseEmitter::complete);
        watchers.clear();
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
