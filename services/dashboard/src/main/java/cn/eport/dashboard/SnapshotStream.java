package cn.eport.dashboard;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
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
    private volatile boolean running;

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

    /**
     * Sends a fresh snapshot to everyone watching; every push interval, on the service's scheduler,
     * whose second thread is the lag reading's, so a slow broker cannot hold the page back.
     */
    @Scheduled(initialDelayString = "${eport.dashboard.push-interval:1s}", fixedDelayString = "${eport.dashboard.push-interval:1s}")
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
        running = true;
    }

    /** Before the web server's graceful shutdown, which open connections would otherwise hold for their whole timeout. */
    @Override
    public void stop() {
        running = false;
        watchers.forEach(SseEmitter::complete);
        watchers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
