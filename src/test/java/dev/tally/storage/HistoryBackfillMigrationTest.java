package dev.tally.storage;

import dev.tally.bench.InvariantCheck;
import dev.tally.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V10 on a ledger written before it: every entry gets the running balance as of its instant (ties
 * included) and the hourly usage rollups are built, reverts under the reverted usage's source.
 */
class HistoryBackfillMigrationTest {
    private static final UUID ORG = UUID.randomUUID();
    private static final UUID ACCOUNT = UUID.randomUUID();
    private static final UUID API_USAGE = UUID.randomUUID();

    @Test
    void entriesWrittenBeforeV10GetRunningBalancesAndRollups() throws SQLException {
        String name = "tally_backfill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        boolean postgres = TestDatabase.kind().equals("postgres");
        String url = postgres ? System.getenv(TestDatabase.POSTGRES_URL_VARIABLE) : "jdbc:h2:mem:" + name
                + ";DB_CLOSE_DELAY=-1";
        if (postgres) {
            execute(url, "CREATE SCHEMA " + name);
            url = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }
        try {
            migrate(url, postgres, "4");
            try (Connection connection = DriverManager.getConnection(url, postgres ? null : "", postgres ? null : "")) {
                writeLedgerOfV4(connection);
            }
            migrate(url, postgres, "10");
            try (Connection connection = DriverManager.getConnection(url, postgres ? null : "", postgres ? null : "")) {
                assertThat(query(connection, "SELECT amount, balance_after FROM billing_transactions"
                        + " ORDER BY created_at, amount")).containsExactly("100 100", "7 63", "30 63", "20 43", "10 53");
                assertThat(query(connection, "SELECT hour_number, source, usage_amount, reverted_amount, usage_count"
                        + " FROM usage_rollups ORDER BY hour_number, source")).containsExactly(
                        hour("10") + " api 30 0 1", hour("10") + " gpu 7 0 1", hour("11") + " api 0 10 0",
                        hour("11") + " gpu 20 0 1");
            }
            // The invariant check reads tables of later migrations (holds) too.
            migrate(url, postgres, "latest");
            try (Connection connection = DriverManager.getConnection(url, postgres ? null : "", postgres ? null : "")) {
                assertThat(InvariantCheck.check(connection).violations()).isZero();
            }
        } finally {
            if (postgres) {
                execute(System.getenv(TestDatabase.POSTGRES_URL_VARIABLE), "DROP SCHEMA " + name + " CASCADE");
            }
        }
    }

    private static void migrate(String url, boolean postgres, String target) {
        Flyway.configure()
                .dataSource(url, postgres ? null : "", postgres ? null : "")
                .locations("classpath:db/migration/common", "classpath:db/migration/" + (postgres ? "postgresql" : "h2"))
                .target(target)
                .load()
                .migrate();
    }

    /** A grant, three usages (two in the same microsecond) and a revert, as code before V10 wrote them. */
    private static void writeLedgerOfV4(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO organizations VALUES ('" + ORG + "', 'o', 't', 'enabled', '{}', 'test',"
                    + " TIMESTAMP WITH TIME ZONE '2026-01-01 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-01 09:00:00+00')");
            statement.execute("INSERT INTO billing_accounts VALUES ('" + ACCOUNT + "', '" + ORG + "', 'a', '', '',"
                    + " '{}', 'VC', 'active', 0, 0, 53, 47, '{}', 'test', TIMESTAMP WITH TIME ZONE '2026-01-01 09:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-01-01 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-01 11:30:00+00')");
        }
        entry(connection, UUID.randomUUID(), "grant", 100, "promo", null, "2026-01-01T10:00:00Z");
        entry(connection, API_USAGE, "usage", 30, "api", null, "2026-01-01T10:10:00Z");
        entry(connection, UUID.randomUUID(), "usage", 7, "gpu", null, "2026-01-01T10:10:00Z");
        entry(connection, UUID.randomUUID(), "usage", 20, "gpu", null, "2026-01-01T11:05:00Z");
        entry(connection, UUID.randomUUID(), "revert", 10, "system.revert.api", API_USAGE, "2026-01-01T11:30:00Z");
    }

    private static void entry(Connection connection, UUID id, String kind, long amount, String source,
                              UUID revertedUsage, String createdAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO billing_transactions (id,"
                + " account_id, kind, type, amount, source, description, user_id, metadata, reverted_usage_id,"
                + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, '', '', '{}', ?, 'test', ?)")) {
            statement.setObject(1, id);
            statement.setObject(2, ACCOUNT);
            statement.setString(3, kind);
            statement.setString(4, kind.equals("usage") ? "debit" : "credit");
            statement.setLong(5, amount);
            statement.setString(6, source);
            statement.setObject(7, revertedUsage);
            statement.setObject(8, OffsetDateTime.parse(createdAt));
            statement.executeUpdate();
        }
    }

    private static long hour(String hourOfDay) {
        return OffsetDateTime.parse("2026-01-01T" + hourOfDay + ":00:00Z").toEpochSecond() / 3_600;
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= columns; column++) {
                    row.append(column == 1 ? "" : " ").append(result.getString(column));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
