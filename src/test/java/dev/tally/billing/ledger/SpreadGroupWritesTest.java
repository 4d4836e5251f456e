package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Metadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group spread over several accounts writes each account's balance, grant remainder and rollup
 * rows: on PostgreSQL each kind in one UPDATE over arrays (the rollups' missing rows then inserted),
 * on H2 in a batch. Each row must end up with exactly its own account's figures.
 */
class SpreadGroupWritesTest {
    @RegisterExtension
    static final LedgerTestData DATA = new LedgerTestData();
    private static final long CREDITS = 1_000;

    private final BillingAccountRepository accounts = new BillingAccountRepository(DATA.database().batchWrites());
    private final UsageGroup group = new UsageGroup(accounts, new LedgerRepository(DATA.database().batchWrites()));

    @Test
    void eachAccountOfAGroupGetsItsOwnBalanceGrantRemainderAndRollups() {
        List<UUID> spread = new ArrayList<>();
        List<UUID> grants = new ArrayList<>();
        for (int index = 0; index < 6; index++) {
            UUID account = DATA.account(0, 0, true);
            spread.add(account);
            grants.add(grant(account));
        }
        Instant hour = Instant.parse("2026-03-01T10:15:00Z");
        // First group: five accounts, every rollup row new. Second: all six, the sixth's row new.
        apply(spread.subList(0, 5), 1, hour);
        apply(spread, 10, hour.plusSeconds(60));

        for (int index = 0; index < spread.size(); index++) {
            long first = index < 5 ? index + 1 : 0;
            long spent = first + (index + 1) * 10L;
            UUID account = spread.get(index);
            assertThat(DATA.balance(account)).as("balance of account %d", index).isEqualTo(CREDITS - spent);
            assertThat(DATA.database().inTransaction(connection -> accounts.findById(connection, account))
                    .orElseThrow().debited()).as("debited of account %d", index).isEqualTo(spent);
            assertThat(remaining(grants.get(index))).as("grant of account %d", index).isEqualTo(CREDITS - spent);
            assertThat(rollup(account, "s" + index)).as("rollup of account %d", index)
                    .containsExactly(spent, index < 5 ? 2 : 1);
        }
    }

    private UUID grant(UUID account) {
        UUID grantId = UUID.randomUUID();
        DATA.database().inTransaction(connection -> {
            new LedgerRepository(DATA.database().batchWrites()).insert(connection, List.of(new NewEntry(
                    new LedgerEntry(grantId, account, EntryKind.GRANT, CREDITS, "test", "", "", Metadata.EMPTY,
                            Optional.empty(), LedgerTestData.NOW), "test")), id -> CREDITS);
            new GrantRepository(DATA.database().batchWrites()).insert(connection, new Grant(grantId, account, CREDITS,
                    CREDITS, 0, Grant.PRIORITY_DEFAULT, Optional.empty(), false, LedgerTestData.NOW));
            accounts.updateBalance(connection, account, CREDITS, 0, LedgerTestData.NOW);
            return null;
        });
        return grantId;
    }

    private void apply(List<UUID> accountIds, long factor, Instant at) {
        List<UsageRequest> requests = new ArrayList<>();
        for (int index = 0; index < accountIds.size(); index++) {
            requests.add(LedgerTestData.request(accountIds.get(index), new NewUsage(UUID.randomUUID(),
                    (index + 1) * factor, "s" + index, "", "", Metadata.EMPTY)));
        }
        List<UsageOutcome> outcomes = DATA.database().inTransaction(connection -> group.apply(connection, requests, at));
        assertThat(outcomes).extracting(UsageOutcome::result).containsOnly(UsageOutcome.Result.APPLIED);
    }

    private static long remaining(UUID grantId) {
        return single("SELECT remaining FROM billing_grants WHERE id = ?", grantId, null)[0];
    }

    private static long[] rollup(UUID account, String source) {
        return single("SELECT SUM(usage_amount), SUM(usage_count) FROM usage_rollups WHERE account_id = ? AND source = ?",
                account, source);
    }

    private static long[] single(String sql, UUID key, String source) {
        return DATA.database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, key);
                if (source != null) {
                    statement.setString(2, source);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    int columns = rows.getMetaData().getColumnCount();
                    long[] values = new long[columns];
                    for (int column = 0; column < columns; column++) {
                        values[column] = rows.getLong(column + 1);
                    }
                    return values;
                }
            }
        });
    }
}
