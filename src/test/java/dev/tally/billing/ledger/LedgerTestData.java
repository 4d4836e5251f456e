package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.common.Metadata;
import dev.tally.storage.Database;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The set-up of the tests of the usage write path below the HTTP layer: one fresh database for the
 * test class (H2 or PostgreSQL, see {@link TestDatabase}), registered as an extension, and the
 * accounts, usage requests and ledger reads those tests need.
 */
final class LedgerTestData implements BeforeAllCallback, AfterAllCallback {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private BillingAccountRepository accounts;
    private LedgerRepository ledger;
    private TestDatabase testDatabase;
    private Database database;

    @Override
    public void beforeAll(ExtensionContext context) {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
        ledger = new LedgerRepository(database.batchWrites());
        accounts = new BillingAccountRepository(database.batchWrites());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        testDatabase.close();
    }

    Database database() {
        return database;
    }

    static UsageRequest request(UUID account, NewUsage... usages) {
        return request(account, Deadline.after(Duration.ofMinutes(5)), usages);
    }

    static UsageRequest request(UUID account, Deadline deadline, NewUsage... usages) {
        return new UsageRequest(account, List.of(usages), "serviceuser:test", deadline, new CompletableFuture<>());
    }

    /** A request that places a hold of {@code amount} for 15 minutes. */
    static UsageRequest placement(UUID account, UUID holdId, long amount) {
        return UsageRequest.placing(account, new NewHold(holdId, amount, Duration.ofMinutes(15), "test", "", "",
                Metadata.EMPTY), "serviceuser:test", Deadline.after(Duration.ofMinutes(5)));
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
                ledger.insert(connection, List.of(new NewEntry(new LedgerEntry(UUID.randomUUID(), accountId,
                        EntryKind.GRANT, credits, "test", "", "", Metadata.EMPTY, Optional.empty(), NOW), "test")),
                        id -> credits);
            }
            return null;
        });
        return accountId;
    }

    long balance(UUID account) {
        return database.inTransaction(connection -> accounts.findById(connection, account).orElseThrow().balance());
    }

    /** The credits the account's live holds reserve at {@link #NOW}. */
    long held(UUID account) {
        return database.inTransaction(connection -> new HoldRepository().heldSum(connection, account, NOW));
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
