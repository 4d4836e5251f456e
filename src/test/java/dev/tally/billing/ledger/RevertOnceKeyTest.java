package dev.tally.billing.ledger;

import dev.tally.common.Metadata;
import dev.tally.storage.SqlStates;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One revert per usage is the unique key billing_transactions_revert_once (DESIGN §6). On PostgreSQL it
 * is a unique index over the reverts only (V94), so that a usage, grant or expiry adds no entry to it;
 * H2 keeps V1's constraint. Either way a second revert of a usage fails, whatever its id.
 */
class RevertOnceKeyTest {
    private static final String KEY = "billing_transactions_revert_once";

    @RegisterExtension
    static final LedgerTestData DATA = new LedgerTestData();

    private final LedgerRepository ledger = new LedgerRepository(DATA.database().batchWrites());

    @Test
    void aSecondRevertOfAUsageIsRefusedByTheKeyEvenUnderAnotherId() {
        UUID account = DATA.account(100, 0, true);
        UUID usage = UUID.randomUUID();
        insert(entry(usage, account, EntryKind.USAGE, Optional.empty()));
        insert(entry(UUID.randomUUID(), account, EntryKind.REVERT, Optional.of(usage)));

        assertThatThrownBy(() -> insert(entry(UUID.randomUUID(), account, EntryKind.REVERT, Optional.of(usage))))
                .satisfies(failure -> {
                    SQLException refused = sqlCause(failure);
                    assertThat(SqlStates.isUniqueViolation(refused)).as(String.valueOf(refused)).isTrue();
                    assertThat(keyNamed(refused)).isEqualTo(KEY);
                });
        boolean reverted = DATA.database().inTransaction(connection -> ledger.isReverted(connection, usage));
        assertThat(reverted).isTrue();
    }

    @Test
    void onPostgresqlTheKeyLeavesOutTheEntriesThatRevertNothing() {
        DATA.database().inTransaction(connection -> {
            if (!TestDatabase.kind().equals("postgres")) {
                // H2 has no partial indexes: V1's constraint, which H2 stores NULLs in too.
                assertThat(single(connection, "SELECT constraint_type FROM information_schema.table_constraints"
                        + " WHERE constraint_name = 'BILLING_TRANSACTIONS_REVERT_ONCE'")).isEqualTo("UNIQUE");
                return null;
            }
            assertThat(single(connection, "SELECT indisunique || ' ' || pg_get_expr(indpred, indrelid) FROM pg_index"
                    + " WHERE indexrelid = '" + KEY + "'::regclass")).isEqualTo("true (reverted_usage_id IS NOT NULL)");
            return null;
        });
    }

    /** The lookup that tells a second revert from a taken derived id reads the key, not the table. */
    @Test
    void theRevertLookupReadsTheRevertOnceKey() {
        String plan = DATA.database().inTransaction(connection -> {
            List<String> lines = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                String explain;
                if (TestDatabase.kind().equals("postgres")) {
                    // The plan pgjdbc's server-prepared statement gets once it goes generic: the
                    // parameter's value unknown, so only the equality itself implies IS NOT NULL.
                    statement.execute("SET LOCAL enable_seqscan = off");
                    statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                    statement.execute("PREPARE revert_of_usage(uuid) AS "
                            + LedgerRepository.REVERT_OF_USAGE.replace("?", "$1"));
                    explain = "EXPLAIN EXECUTE revert_of_usage('" + UUID.randomUUID() + "')";
                } else {
                    explain = "EXPLAIN " + LedgerRepository.REVERT_OF_USAGE.replace("?", "'" + UUID.randomUUID() + "'");
                }
                try (ResultSet rows = statement.executeQuery(explain)) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                if (TestDatabase.kind().equals("postgres")) {
                    statement.execute("DEALLOCATE revert_of_usage");
                }
            }
            return String.join("\n", lines).toLowerCase(Locale.ROOT);
        });

        assertThat(plan).contains(KEY).doesNotContain("seq scan").doesNotContain("tablescan");
    }

    private void insert(LedgerEntry entry) {
        DATA.database().inTransaction(connection -> {
            ledger.insert(connection, List.of(new NewEntry(entry, "test")), id -> 100);
            return null;
        });
    }

    private static LedgerEntry entry(UUID id, UUID account, EntryKind kind, Optional<UUID> reverted) {
        String source = kind == EntryKind.REVERT ? RevertService.SOURCE_PREFIX + "test" : "test";
        return new LedgerEntry(id, account, kind, 1, source, "", "", Metadata.EMPTY, reverted,
                LedgerTestData.NOW);
    }

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        throw new AssertionError("no SQLException in " + failure, failure);
    }

    /** The key a unique violation names: pgjdbc reports it, H2 writes it into the message. */
    private static String keyNamed(SQLException refused) {
        for (SQLException cause = refused; cause != null; cause = cause.getNextException()) {
            if (cause instanceof PSQLException postgres && postgres.getServerErrorMessage() != null) {
                return postgres.getServerErrorMessage().getConstraint();
            }
            if (cause.getMessage().toLowerCase(Locale.ROOT).contains(KEY)) {
                return KEY;
            }
        }
        return String.valueOf(refused);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }
}
