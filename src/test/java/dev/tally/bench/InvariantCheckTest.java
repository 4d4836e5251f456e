package dev.tally.bench;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyServer;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The invariant check that bench and fault-test run: it passes on a real ledger and catches each break. */
class InvariantCheckTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aLedgerWrittenThroughTheApiHasNoViolations() {
        written();

        assertThat(check().violations()).as(check().toString()).isZero();
    }

    @Test
    void aRunningBalanceThatDisagreesWithTheEntriesIsAViolation() {
        String usage = written();

        execute("UPDATE billing_transactions SET balance_after = balance_after + 1 WHERE id = ?", usage);

        assertThat(check().runningBalanceMismatches()).isEqualTo(1);
        execute("UPDATE billing_transactions SET balance_after = balance_after - 1 WHERE id = ?", usage);
    }

    @Test
    void aRollupThatDisagreesWithTheLedgerIsAViolation() {
        String usage = written();
        String account = accountOf(usage);

        execute("UPDATE usage_rollups SET usage_count = usage_count + 1 WHERE account_id = ?", account);

        assertThat(check().rollupMismatches()).isEqualTo(1);
        execute("UPDATE usage_rollups SET usage_count = usage_count - 1 WHERE account_id = ?", account);
    }

    @Test
    void aBalanceBelowCreditMinIsAViolationWhenNoExpiryExplainsIt() {
        String usage = written(); // balance 89, no expiry
        String account = accountOf(usage);

        execute("UPDATE billing_accounts SET credit_min = 90 WHERE id = ?", account);

        assertThat(check().belowMinimum()).isEqualTo(1);
        assertThat(check().availableBelowMinimum()).isEqualTo(1);
        execute("UPDATE billing_accounts SET credit_min = 0 WHERE id = ?", account);
        assertThat(check().violations()).isZero();
    }

    /**
     * On PostgreSQL no foreign key checks an allocation's grant per row (ADR 0005 addendum of
     * 2026-12-02), so the invariant check is what catches a dangling one; H2 keeps the key.
     */
    @Test
    void anAllocationNamingAMissingGrantIsAViolationOrRefusedByTheKey() {
        String usage = written();
        String insert = "INSERT INTO billing_allocations (entry_id, spent_order, grant_id, amount)"
                + " VALUES (?, 99, '" + UUID.randomUUID() + "', 1)";

        if (TestDatabase.kind().equals("postgres")) {
            execute(insert, usage);
            assertThat(check().danglingReferences()).isEqualTo(1);
            execute("DELETE FROM billing_allocations WHERE entry_id = ? AND spent_order = 99", usage);
            assertThat(check().danglingReferences()).isZero();
        } else {
            assertThatThrownBy(() -> execute(insert, usage)).hasMessageContaining("Referential integrity");
            assertThat(check().danglingReferences()).isZero();
        }
    }

    /** Likewise a hold's account on PostgreSQL since V93 (issue 11); H2 keeps the key. */
    @Test
    void aHoldNamingAMissingAccountIsAViolationOrRefusedByTheKey() {
        String id = UUID.randomUUID().toString();
        String insert = "INSERT INTO billing_holds (id, account_id, amount, state, expires_at, source, description,"
                + " user_id, metadata, created_by, created_at, updated_at) VALUES (?, '" + UUID.randomUUID()
                + "', 1, 'held', CURRENT_TIMESTAMP, 'jobs', '', '', '{}', 'test', CURRENT_TIMESTAMP,"
                + " CURRENT_TIMESTAMP)";

        if (TestDatabase.kind().equals("postgres")) {
            execute(insert, id);
            assertThat(check().danglingReferences()).isEqualTo(1);
            execute("DELETE FROM billing_holds WHERE id = ?", id);
            assertThat(check().danglingReferences()).isZero();
        } else {
            assertThatThrownBy(() -> execute(insert, id)).hasMessageContaining("Referential integrity");
            assertThat(check().danglingReferences()).isZero();
        }
    }

    /** A grant, two usages and a partial revert on a new account; returns the first usage's id. */
    private String written() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String first = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(SERVER.admin(), org, account, first, 10).status()).isEqualTo(200);
        assertThat(fixtures.reportUsage(SERVER.admin(), org, account, UUID.randomUUID().toString(), 5).status())
                .isEqualTo(200);
        assertThat(SERVER.admin().post("/v1beta1/organizations/billing/usages/revert", "{\"org_id\":\"" + org.id()
                + "\",\"billing_id\":\"" + account + "\",\"usage_id\":\"" + first + "\",\"amount\":\"4\"}").status())
                .isEqualTo(200);
        return first;
    }

    private static String accountOf(String entryId) {
        return SERVER.tally().database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT account_id FROM billing_transactions WHERE id = ?")) {
                statement.setObject(1, UUID.fromString(entryId));
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getString(1);
                }
            }
        });
    }

    private static InvariantCheck.Result check() {
        return SERVER.tally().database().inTransaction(InvariantCheck::check);
    }

    private static void execute(String sql, String id) {
        SERVER.tally().database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, UUID.fromString(id));
                return statement.executeUpdate();
            }
        });
    }
}
