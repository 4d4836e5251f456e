package dev.tally.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Optional;

/**
 * Statements the database may refuse for what they contain, run so that the refusal does not end
 * the transaction: PostgreSQL aborts a whole transaction on any failed statement, and only a
 * rollback to a savepoint set before it lets the work continue with its row locks still held.
 */
public final class Savepoints {
    /** Statements run under a savepoint. */
    @FunctionalInterface
    public interface Statements {
        void run() throws SQLException;
    }

    /** Statements under a savepoint whose last one is guarded: false when its guard found the rows changed. */
    @FunctionalInterface
    public interface GuardedStatements {
        boolean run() throws SQLException;
    }

    /** How guarded statements ended: written, refused for their data, or undone because a guard missed. */
    public record Attempt(Optional<SQLException> refusal, boolean guardMissed) {
        public boolean written() {
            return refusal.isEmpty() && !guardMissed;
        }
    }

    private Savepoints() {}

    /**
     * Runs the statements under a fresh savepoint. When the database refuses them for their data
     * (SQLSTATE class 22, data exception, or class 23, integrity constraint violation, such as a
     * duplicate primary key), their effects are rolled back to the savepoint and the refusal is
     * returned: the transaction goes on. Any other failure (a lost connection, a conflict that
     * {@link Database#inTransaction} retries) propagates unchanged.
     */
    public static Optional<SQLException> refusalOf(Connection connection, Statements statements)
            throws SQLException {
        return attempt(connection, () -> {
            statements.run();
            return true;
        }).refusal();
    }

    /**
     * Like {@link #refusalOf}, and when the statements answer false (a guarded UPDATE found fewer
     * rows than it expected: another writer got there first) their effects are rolled back to the
     * savepoint too, so that the caller can decide again, under the same locks, knowing more.
     * One savepoint for both, since in PostgreSQL each costs a round trip.
     */
    public static Attempt attempt(Connection connection, GuardedStatements statements) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            if (statements.run()) {
                return new Attempt(Optional.empty(), false);
            }
            connection.rollback(savepoint);
            return new Attempt(Optional.empty(), true);
        } catch (SQLException failure) {
            if (!isRefusedData(failure)) {
                throw failure;
            }
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollbackFailure) {
                rollbackFailure.addSuppressed(failure);
                throw rollbackFailure;
            }
            return new Attempt(Optional.of(failure), false);
        }
    }

    private static boolean isRefusedData(SQLException failure) {
        for (SQLException cause = failure; cause != null; cause = cause.getNextException()) {
            String state = cause.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }
}
