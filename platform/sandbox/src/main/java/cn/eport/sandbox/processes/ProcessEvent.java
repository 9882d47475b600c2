package cn.eport.sandbox.processes;

import java.time.Instant;

/**
 * Something that happened to one process of the {@link ProcessSystem}, at a time: the system's own
 * record of starts, readiness, stops and crashes, from which restart timings are read.
 */
public record ProcessEvent(Instant at, String process, Kind kind, String detail) {

    public enum Kind {
        /** Started (again); the detail says why: at start-up, asked to, or after a crash. */
        STARTED,
        /** Its readiness check passed for the first time since it started; the detail is the time it took. */
        READY,
        /** Asked to stop, and how: SIGTERM, SIGINT, SIGQUIT or SIGKILL. */
        STOPPING,
        /** Ended after it was asked to. */
        EXITED,
        /** Ended without being asked to; the detail is its exit code. */
        CRASHED
    }

    @Override
    public String toString() {
        return at + " " + process + " " + kind + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
