package cn.eport.sandbox.faults;

import cn.eport.contracts.Agency;
import cn.eport.sandbox.processes.ProcessSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** The faults of one run of the matrix and when each strikes, as offsets from the start of the stream. */
record FaultPlan(List<Fault> faults) {

    enum Kind {
        /** kill -9 of a service, started again two seconds later. */
        KILL_SERVICE,
        /** kill -9 of the broker, started again on its data three seconds later. */
        RESTART_BROKER,
        /** An immediate shutdown of PostgreSQL, started again on its data three seconds later. */
        RESTART_DATABASE,
        /** One agency's registry answers 503 for a while. */
        REGISTRY_OUTAGE,
        /** Records already on the topics, produced again with their headers. */
        DUPLICATES,
        /** Poison of every kind on eport.applications and a verdict topic. */
        POISON
    }

    /** One fault: what, on what, when, and (outages) for how long or (duplicates) how many. */
    record Fault(Kind kind, String target, Duration at, Duration length, int count) {

        boolean stopsAProcess() {
            return kind == Kind.KILL_SERVICE || kind == Kind.RESTART_BROKER || kind == Kind.RESTART_DATABASE;
        }

        @Override
        public String toString() {
            return switch (kind) {
                case KILL_SERVICE -> "kill -9 " + target;
                case RESTART_BROKER -> "kill -9 the broker";
                case RESTART_DATABASE -> "immediate shutdown of PostgreSQL";
                case REGISTRY_OUTAGE -> target + " registry away for " + length.toSeconds() + " s";
                case DUPLICATES -> count + " duplicates";
                case POISON -> "poison of every kind";
            } + " at " + at.toSeconds() + " s";
        }
    }

    /**
     * The whole matrix over a stream of {@code stream}: every service killed once, the broker and the
     * database restarted once, at spread-out random moments between 8 % and 80 % of the stream, one
     * after another; each registry away for {@code outage}; the duplicates and the poison at random
     * moments. A service is not killed while its own registry is away (it would blur both timings),
     * where the schedule allows.
     */
    static FaultPlan full(Duration stream, Duration outage, int duplicates, Random random) {
        long from = stream.toMillis() * 8 / 100;
        long to = stream.toMillis() * 80 / 100;
        List<Fault> outages = new ArrayList<>();
        for (Agency agency : Agency.values()) {
            long latest = Math.max(from, to - outage.toMillis());
            outages.add(new Fault(Kind.REGISTRY_OUTAGE, agency.id(), Duration.ofMillis(from + (long) (random.nextDouble() * (latest - from))),
                    outage, 0));
        }
        List<String> targets = new ArrayList<>(ProcessSystem.SERVICES);
        targets.add(ProcessSystem.KAFKA);
        targets.add(ProcessSystem.POSTGRES);
        Collections.shuffle(targets, random);
        long slot = (to - from) / targets.size();
        List<Duration> slots = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            slots.add(Duration.ofMillis(from + i * slot + (long) ((0.1 + 0.8 * random.nextDouble()) * slot)));
        }
        // Move a service's kill out of its own registry's outage by swapping slots with another fault.
        for (int i = 0; i < targets.size(); i++) {
            if (clashes(targets.get(i), slots.get(i), outages)) {
                for (int j = 0; j < targets.size(); j++) {
                    if (j != i && !clashes(targets.get(i), slots.get(j), outages) && !clashes(targets.get(j), slots.get(i), outages)) {
                        Collections.swap(targets, i, j);
                        break;
                    }
                }
            }
        }
        List<Fault> faults = new ArrayList<>(outages);
        for (int i = 0; i < targets.size(); i++) {
            String target = targets.get(i);
            Kind kind = target.equals(ProcessSystem.KAFKA) ? Kind.RESTART_BROKER
                    : target.equals(ProcessSystem.POSTGRES) ? Kind.RESTART_DATABASE : Kind.KILL_SERVICE;
            faults.add(new Fault(kind, target, slots.get(i), Duration.ZERO, 0));
        }
        faults.add(new Fault(Kind.DUPLICATES, "", Duration.ofMillis(from + (long) (random.nextDouble() * (to - from))), Duration.ZERO, duplicates));
        faults.add(new Fault(Kind.POISON, "", Duration.ofMillis(from + (long) (random.nextDouble() * (to - from))), Duration.ZERO, 0));
        faults.sort(Comparator.comparing(Fault::at));
        return new FaultPlan(List.copyOf(faults));
    }

    /**
     * The short run: three faults (card issuance killed, PostgreSQL shut down immediately, the tax
     * registry away for {@code outage}), plus duplicates and poison.
     */
    static FaultPlan shortRun(Duration stream, Duration outage, int duplicates) {
        long ms = stream.toMillis();
        List<Fault> faults = new ArrayList<>(List.of(
                new Fault(Kind.REGISTRY_OUTAGE, Agency.TAX.id(), Duration.ofMillis(ms * 15 / 100), outage, 0),
                new Fault(Kind.KILL_SERVICE, "card-issuance", Duration.ofMillis(ms * 30 / 100), Duration.ZERO, 0),
                new Fault(Kind.POISON, "", Duration.ofMillis(ms * 40 / 100), Duration.ZERO, 0),
                new Fault(Kind.DUPLICATES, "", Duration.ofMillis(ms * 50 / 100), Duration.ZERO, duplicates),
                new Fault(Kind.RESTART_DATABASE, ProcessSystem.POSTGRES, Duration.ofMillis(ms * 65 / 100), Duration.ZERO, 0)));
        faults.sort(Comparator.comparing(Fault::at));
        return new FaultPlan(List.copyOf(faults));
    }

    private static boolean clashes(String target, Duration at, List<Fault> outages) {
        for (Fault outage : outages) {
            if (target.equals(outage.target() + "-check")
                    && at.compareTo(outage.at().minusSeconds(5)) > 0 && at.compareTo(outage.at().plus(outage.length()).plusSeconds(30)) < 0) {
                return true;
            }
        }
        return false;
    }
}
