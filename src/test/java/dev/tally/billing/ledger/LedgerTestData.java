package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.common.Metadata;
import dev.tally.storage.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Accounts, usage requests and ledger reads for the tests of the usage write path below the HTTP layer. */
final class LedgerTestData {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final Database database;
    private final BillingAccountRepository accounts = new BillingAccountRepository();
    private final LedgerRepository ledger = new LedgerRepository();

    LedgerTestData(Database database) {
        this.database = database;
    }

    static UsageRequest request(UUID account, NewUsage... usages) {
        return request(account, Deadline.after(Duration.ofMinutes(5)), usages);
    }

    static UsageRequest request(UUID account, Deadline deadline, NewUsage... usages) {
        return new UsageRequest(account, List.of(usages), "serviceuser:test", deadline, new CompletableFuture<>());
    }

    static NewUsage usage(UUID id, long amount) {
        return new NewUsage(id, amount, "test", "", "", Metadata.EMPTY);
    }

    /** An account whose balance comes from a grant entry, so that the ledger sum matches from the start. */
    UUID account(long credits, long creditMin, boolean active) {
        UUID orgId = UUID.randomUUID();
        UUID accountId = UUID.randomUUID();
        database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO organizations (id, name, title, state, metadata, created_by, created_at, updated_at)"
                            + " VALUES (?, ?, 't', 'enabled', '{}', 'test', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")) {
                statement.setObject(1, orgId);
                statement.setString(2, "org-" + orgId);
                statement.executeUpdate();
            }
            accounts.insert(connection, new BillingAccount(accountId, orgId, "a", "", "", "{}", "VC",
                    active ? BillingAccount.ACTIVE : BillingAccount.DISABLED, creditMin, 0, credits, 0, Metadata.EMPTY,
                    NOW, NOW, NOW), "test");
            if (credits > 0) {
                ledger.insert(connection, List.of(new LedgerEntry(UUID.randomUUID(), accountId, EntryKind.GRANT, credits,
                        "test", "", "", Metadata.EMPTY, Optional.empty(), "test", NOW)));
            }
            return null;
        });
        return accountId;
    }

    long balance(UUID account) {
        return database.inTransaction(connection -> accounts.findById(connection, account).orElseThrow().balance());
    }

    long ledgerSum(UUID account) {
        return database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COALESCE(SUM(CASE WHEN type = 'credit' THEN amount ELSE -amount END), 0)"
                            + " FROM billing_transactions WHERE account_id = ?")) {
                statement.setObject(1, account);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    boolean isRecorded(UUID entryId) {
        return database.inTransaction(connection -> ledger.findById(connection, entryId).isPresent());
    }
}
