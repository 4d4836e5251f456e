package dev.tally.storage;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * The SQLSTATE classes Tally reacts to; H2 and PostgreSQL report the same codes for these. This is
 * the one place that reads SQLSTATEs: the API asks {@link #classify} what a failure means.
 */
public final class SqlStates {
    private static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {}

    /** What a database failure means to the caller of the request it broke. */
    public enum Failure {
        /**
         * The connection was lost or refused (class 08, the 57P admin-shutdown codes, or no pooled
         * connection in time): nothing is known to be applied and the request may be retried.
         */
        UNAVAILABLE,
        /** A serialization failure or deadlock (40001, 40P01) that outlasted the retries: nothing was applied. */
        UNRESOLVED_CONFLICT
    }

    /** Walks the causes of {@code failure} for a database failure with a known meaning. */
    public static Optional<Failure> classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState())
                    || "40P01".equals(sql.getSQLState()))) {
                return Optional.of(Failure.UNRESOLVED_CONFLICT);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return Optional.of(Failure.UNAVAILABLE);
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return Optional.of(Failure.UNAVAILABLE);
            }
        }
        return Optional.empty();
    }

    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
