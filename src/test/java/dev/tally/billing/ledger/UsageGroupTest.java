package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Metadata;
import dev.tally.storage.Database;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group-commit path decided request by request: good and bad requests in one group each get
 * their own answer, and the ledger matches what was applied. Groups are composed by hand here so
 * that every mix is certain; the HTTP tests cover the same path under real concurrency.
 */
class UsageGroupTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static TestDatabase testDatabase;
    private static Database database;
    private final BillingAccountRepository accounts = new BillingAccountRepository();
    private final LedgerRepository ledger = new LedgerRepository();

    @BeforeAll
    static void openDatabase() {
        testDatabase = TestDatabase.create();
        database = testDatabase.database();
    }

    @AfterAll
    static void closeDatabase() {
        testDatabase.close();
    }

    @Test
    void eachRequestInAGroupGetsItsOwnOutcome() {
        UUID rich = account(100, 0, true);
        UUID poor = account(10, 0, true);
        UUID disabled = account(100, 0, false);
        UUID recorded = UUID.randomUUID();
        applyAlone(request(rich, usage(recorded, 5)));

        UsageRequest fits = request(rich, usage(UUID.randomUUID(), 30));
        UsageRequest overdraws = request(poor, usage(UUID.randomUUID(), 11));
        UsageRequest fitsPoor = request(poor, usage(UUID.randomUUID(), 10));
        UsageRequest onDisabled = request(disabled, usage(UUID.randomUUID(), 1));
        UsageRequest duplicateOfLedger = request(rich, usage(UUID.randomUUID(), 1), usage(recorded, 1));
        UsageRequest afterDuplicate = request(rich, usage(UUID.randomUUID(), 65));

        List<UsageOutcome> outcomes = apply(fits, overdraws, fitsPoor, onDisabled, duplicateOfLedger, afterDuplicate);

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.APPLIED,
                UsageOutcome.Result.INSUFFICIENT_CREDITS,
                UsageOutcome.Result.APPLIED,
                UsageOutcome.Result.ACCOUNT_DISABLED,
                UsageOutcome.Result.DUPLICATE_ID,
                UsageOutcome.Result.APPLIED);
        assertThat(outcomes.get(4).duplicateId()).isEqualTo(recorded);
        // 100 - 5 (earlier) - 30 - 65: the refused duplicate's other usage was not applied either.
        assertThat(balance(rich)).isEqualTo(0).isEqualTo(ledgerSum(rich));
        assertThat(balance(poor)).isEqualTo(0).isEqualTo(ledgerSum(poor));
        assertThat(balance(disabled)).isEqualTo(100).isEqualTo(ledgerSum(disabled));
    }

    @Test
    void aRequestRefusedForCreditsDoesNotBlockASmallerOneAfterIt() {
        UUID account = account(50, 0, true);
        List<UsageOutcome> outcomes = apply(
                request(account, usage(UUID.randomUUID(), 40)),
                request(account, usage(UUID.randomUUID(), 20)),
                request(account, usage(UUID.randomUUID(), 10)));
        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.APPLIED, UsageOutcome.Result.INSUFFICIENT_CREDITS, UsageOutcome.Result.APPLIED);
        assertThat(balance(account)).isEqualTo(0).isEqualTo(ledgerSum(account));
    }

    @Test
    void twoRequestsOfOneGroupWithTheSameUsageIdApplyOnce() {
        UUID account = account(100, 0, true);
        UUID shared = UUID.randomUUID();
        List<UsageOutcome> outcomes = apply(request(account, usage(shared, 7)), request(account, usage(shared, 7)));
        assertThat(outcomes).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.APPLIED, UsageOutcome.Result.DUPLICATE_ID);
        assertThat(balance(account)).isEqualTo(93).isEqualTo(ledgerSum(account));
    }

    @Test
    void anOverdraftAllowanceIsSharedByTheGroupsRequests() {
        UUID account = account(0, -25, true);
        List<UsageOutcome> outcomes = apply(
                request(account, usage(UUID.randomUUID(), 20)),
                request(account, usage(UUID.randomUUID(), 6)),
                request(account, usage(UUID.randomUUID(), 5)));
        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.APPLIED, UsageOutcome.Result.INSUFFICIENT_CREDITS, UsageOutcome.Result.APPLIED);
        assertThat(balance(account)).isEqualTo(-25).isEqualTo(ledgerSum(account));
    }

    @Test
    void theWriterAnswersEveryRequestOfAConcurrentBurstWithTheLedgerMatching() throws Exception {
        UUID account = account(1_000, 0, true);
        UsageWriter writer = new UsageWriter(database, accounts, ledger, java.time.Clock.systemUTC(), 2);
        try {
            List<UsageRequest> requests = new ArrayList<>();
            UUID duplicated = UUID.randomUUID();
            for (int index = 0; index < 300; index++) {
                UUID id = index % 50 == 0 ? duplicated : UUID.randomUUID();
                requests.add(request(account, usage(id, 7)));
            }
            requests.forEach(writer::submit);
            List<UsageOutcome.Result> outcomes = new ArrayList<>();
            for (UsageRequest request : requests) {
                outcomes.add(request.outcome().get().result());
            }
            // One account is one lane, served in arrival order, so each answer is certain: the
            // duplicated id applies the first time and is a duplicate after (even once credits ran
            // out: duplicates are judged first); the others apply while 1,000 credits cover 7 more.
            List<UsageOutcome.Result> expected = new ArrayList<>();
            long left = 1_000;
            for (int index = 0; index < requests.size(); index++) {
                if (index % 50 == 0 && index > 0) {
                    expected.add(UsageOutcome.Result.DUPLICATE_ID);
                } else if (left >= 7) {
                    expected.add(UsageOutcome.Result.APPLIED);
                    left -= 7;
                } else {
                    expected.add(UsageOutcome.Result.INSUFFICIENT_CREDITS);
                }
            }
            assertThat(outcomes).containsExactlyElementsOf(expected);
            assertThat(outcomes).filteredOn(UsageOutcome.Result.APPLIED::equals).hasSize(142);
            assertThat(balance(account)).isEqualTo(1_000 - 7 * 142).isEqualTo(ledgerSum(account));
            assertThat(entriesWithId(duplicated)).isEqualTo(1);
        } finally {
            writer.close();
        }
    }

    @Test
    void aRequestTheDatabaseRefusesFailsAloneAndItsGroupNeighboursAreApplied() throws Exception {
        UUID account = account(1_000, 0, true);
        UsageWriter writer = new UsageWriter(database, accounts, ledger, java.time.Clock.systemUTC(), 1);
        try {
            List<UsageRequest> requests = new ArrayList<>();
            for (int index = 0; index < 40; index++) {
                // Every tenth source is longer than its column: the database refuses that insert,
                // which would fail the whole group's transaction.
                String source = index % 10 == 3 ? "x".repeat(5_000) : "test";
                requests.add(new UsageRequest(account, List.of(new NewUsage(UUID.randomUUID(), 1, source, "", "",
                        Metadata.EMPTY)), "serviceuser:test", new CompletableFuture<>()));
            }
            requests.forEach(writer::submit);
            long applied = 0;
            long failed = 0;
            for (UsageRequest request : requests) {
                try {
                    assertThat(request.outcome().get().result()).isEqualTo(UsageOutcome.Result.APPLIED);
                    applied++;
                } catch (java.util.concurrent.ExecutionException e) {
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(4);
            assertThat(applied).isEqualTo(36);
            assertThat(balance(account)).isEqualTo(1_000 - 36).isEqualTo(ledgerSum(account));
        } finally {
            writer.close();
        }
    }

    private List<UsageOutcome> apply(UsageRequest... requests) {
        UsageGroup group = new UsageGroup(accounts, ledger);
        return database.inTransaction(connection -> group.apply(connection, Arrays.asList(requests), NOW));
    }

    private void applyAlone(UsageRequest request) {
        assertThat(apply(request)).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.APPLIED);
    }

    private static UsageRequest request(UUID account, NewUsage... usages) {
        return new UsageRequest(account, List.of(usages), "serviceuser:test", new CompletableFuture<>());
    }

    private static NewUsage usage(UUID id, long amount) {
        return new NewUsage(id, amount, "test", "", "", Metadata.EMPTY);
    }

    /** An account whose balance comes from a grant entry, so that the ledger sum matches from the start. */
    private UUID account(long credits, long creditMin, boolean active) {
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

    private long balance(UUID account) {
        return database.inTransaction(connection -> accounts.findById(connection, account).orElseThrow().balance());
    }

    private long entriesWithId(UUID id) {
        return database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM billing_transactions WHERE id = ?")) {
                statement.setObject(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private long ledgerSum(UUID account) {
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
}
