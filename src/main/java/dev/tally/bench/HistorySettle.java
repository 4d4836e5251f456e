package dev.tally.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lets PostgreSQL finish the aftermath of a history fill before its figures are measured: a fill
 * writes a million entries in seconds, and without this the measured phases that follow share the
 * machine with the checkpoint and the autovacuum that burst set off, which no account whose history
 * grew over months would see. The smaller sizes get the same time anyway, from the warm-up that
 * follows their fill. Does nothing without a PostgreSQL url (H2 has neither).
 */
final class HistorySettle {
    private static final String[] TABLES = {"billing_transactions", "billing_allocations", "usage_rollups"};

    private HistorySettle() {}

    static void afterFill(String dbUrl) {
        if (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")) {
            return;
        }
        long startNanos = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(dbUrl);
             Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("VACUUM (ANALYZE) " + table);
            }
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new IllegalStateException("could not vacuum and checkpoint after the history fill", e);
        }
        System.out.printf("   after the fill: VACUUM (ANALYZE) of %s and a CHECKPOINT, %.1f s (not measured)%n",
                String.join(", ", TABLES), (System.nanoTime() - startNanos) / 1e9);
    }
}
