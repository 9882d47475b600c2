package cn.eport.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure that will pass (the database or the broker away, a lock or serialisation
 * conflict, a timeout) from one that will repeat on the same record (a bug, data the handler cannot
 * store). Transient failures are retried without bound; the others, after a few attempts, quarantine
 * the one record they happen on.
 */
final class Failures {

    /**
     * PostgreSQL SQLSTATEs that say "try again": connection exceptions (class 08), serialization
     * failure, deadlock, lock not available, query cancelled (statement timeout), the server shutting
     * down or starting up, too many connections, out of resources (class 53).
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02",
            "57P03", "53000", "53100", "53200", "53300", "53400");

    private Failures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
                    || cause instanceof TransactionSystemException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException || cause instanceof RetriableException
                    || cause instanceof InterruptedException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || TRANSIENT_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
