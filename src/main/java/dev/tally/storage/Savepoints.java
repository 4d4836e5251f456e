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
        Savepoint savepoint = connection.setSavepoint();
        try {
            statements.run();
            return Optional.empty();
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
            return Optional.of(failure);
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
