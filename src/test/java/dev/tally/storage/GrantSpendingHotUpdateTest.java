package dev.tally.storage;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V95: every usage group updates the remaining amount of the grants it spends from, so on
 * PostgreSQL that update must be HOT (no new index entries, no dead entries for the next group's
 * grant scan to walk), and the scan of an account's open grants must still read an index, of
 * open grants only. On H2 the same queries run on the same column.
 */
class GrantSpendingHotUpdateTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static Database database;

    @BeforeAll
    static void open() {
        database = SERVER.openAnotherPool();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void spendingFromAGrantIsAHeapOnlyUpdateOnPostgresql() {
        Fixtures fixtures = new Fixtures(SERVER);
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);

        long hotUpdates = database.inTransaction(connection -> {
            // The statement GrantRepository spends with, twice, ending where it started (the ledger
            // is left as it was): neither crosses zero, so has_remaining stays true.
            UUID grant = single(connection, "SELECT id FROM billing_grants WHERE account_id = ?", account);
            spend(connection, grant, 990);
            spend(connection, grant, 1_000);
            if (!SERVER.databaseKind().equals("postgres")) {
                return -1L;
            }
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT pg_stat_get_xact_tuples_hot_updated('billing_grants'::regclass)")) {
                rows.next();
                return rows.getLong(1);
            }
        });

        if (SERVER.databaseKind().equals("postgres")) {
            assertThat(hotUpdates).as("HOT updates of billing_grants in the transaction").isEqualTo(2);
        }
        assertThat(SERVER.storedBalance(account)).isEqualTo(1_000);
    }

    @Test
    void theOpenGrantScanReadsTheIndexOfOpenGrants() {
        String open = "SELECT id FROM billing_grants g WHERE g.account_id IN ('00000000-0000-0000-0000-00000000000a')"
                + " AND g.has_remaining";
        String plan = database.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                if (SERVER.databaseKind().equals("postgres")) {
                    statement.execute("SET LOCAL enable_seqscan = off");
                }
                StringBuilder lines = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("EXPLAIN " + open)) {
                    while (rows.next()) {
                        lines.append(rows.getString(1)).append('\n');
                    }
                }
                return lines.toString().toLowerCase();
            }
        });
        assertThat(plan).contains("billing_grants_open_by_account");
    }

    private static void spend(Connection connection, UUID grant, long remaining) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_grants SET remaining = ? WHERE id = ?")) {
            statement.setLong(1, remaining);
            statement.setObject(2, grant);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }

    private static UUID single(Connection connection, String sql, String account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, UUID.fromString(account));
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getObject(1, UUID.class);
            }
        }
    }
}
