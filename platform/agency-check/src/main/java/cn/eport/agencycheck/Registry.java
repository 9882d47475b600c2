package cn.eport.agencycheck;

import java.util.Collection;
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

    /** The registry did not answer; nothing is known about the records asked for. */
    class RegistryUnavailableException extends RuntimeException {
        public RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
