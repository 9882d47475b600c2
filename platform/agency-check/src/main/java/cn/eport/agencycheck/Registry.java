package cn.eport.agencycheck;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agency's registry (its own database of certificates), seen from the check: the port. */
public interface Registry {

    /**
     * The registry's answer to every query, asked together: a round of checks asks once per
     * collection, not once per record. An empty answer means the registry has no such record.
     *
     * @throws RegistryUnavailableException when the registry cannot answer now (down, slow, failing,
     *         talking nonsense): the checks wait and ask again later, they never decide on that
     */
    Map<RegistryQuery, Optional<RegistryRecord>> lookUp(Collection<RegistryQuery> queries);

    /** The queries of several checks asked in one round, each record once; nothing is asked when none is. */
    default Map<RegistryQuery, Optional<RegistryRecord>> lookUpAll(Collection<List<RegistryQuery>> queriesOfEach) {
        List<RegistryQuery> all = queriesOfEach.stream().flatMap(List::stream).distinct().toList();
        return all.isEmpty() ? Map.of() : lookUp(all);
    }

    /**
     * The records changed since {@code cursor}, oldest first, at most {@code limit} of them: revoked,
     * suspended, expired, renewed or reinstated. A registry's first change comes after cursor 0.
     *
     * @throws RegistryUnavailableException when the registry cannot answer now: the follower asks again later
     */
    RegistryChanges changesSince(long cursor, int limit);

    /**
     * A page of the registry's change feed.
     *
     * @param changes the changes after the cursor asked for, in the order the registry made them
     * @param next    the cursor to ask from next: the last change's, or the one asked for when nothing changed
     */
    record RegistryChanges(List<Change> changes, long next) {

        public RegistryChanges {
            changes = List.copyOf(changes);
        }
    }

    /**
     * One record as the registry holds it after a change.
     *
     * @param cursor     its place in the feed, increasing
     * @param collection the collection it is filed in: {@code business-licences}
     * @param record     the record now
     */
    record Change(long cursor, String collection, RegistryRecord record) {
    }

    /** The registry did not answer; nothing is known about the records asked for. */
    class RegistryUnavailableException extends RuntimeException {
        public RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
