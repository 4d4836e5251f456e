package dev.tally.storage;

import java.sql.SQLException;

/** The SQLSTATE classes Tally reacts to; H2 and PostgreSQL report the same codes for these. */
public final class SqlStates {
    private static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {}

    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
