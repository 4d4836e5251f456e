package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.common.Metadata;
import dev.tally.storage.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.tally.billing.ledger.LedgerTestData.placement;
import static dev.tally.billing.ledger.LedgerTestData.request;
import static dev.tally.billing.ledger.LedgerTestData.usage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group-commit path decided request by request: good and bad requests in one group each get
 * their own answer, and the ledger matches what was applied. Groups are composed by hand here so
 * that every mix is certain; the HTTP tests cover the same path under real concurrency.
 */
class UsageGroupTest {
    @RegisterExtension
    static final LedgerTestData DATA = new LedgerTestData();

    private final Database database = DATA.database();
    private final BillingAccountRepository accounts = new BillingAccountRepository(database.batchWrites());
    private final LedgerRepository ledger = new LedgerRepository(database.batchWrites());

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
    void aRetryOfARecordedUsageIsADuplicateEvenAfterTheCreditsRanOut() {
        UUID account = account(10, 0, true);
        UUID first = UUID.randomUUID();
        assertThat(apply(request(account, usage(first, 10)))).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.APPLIED);

        // A client retry in a later group: nothing is left, but the usage was recorded, and the
        // client must hear so (409), not that it was refused for credits.
        List<UsageOutcome> retry = apply(request(account, usage(first, 10)));

        assertThat(retry).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.DUPLICATE_ID);
        assertThat(retry.get(0).duplicateId()).isEqualTo(first);
        assertThat(balance(account)).isEqualTo(0).isEqualTo(ledgerSum(account));
        assertThat(entriesWithId(first)).isEqualTo(1);
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
        UsageWriter writer = new UsageWriter(database, accounts, ledger, java.time.Clock.systemUTC(), 2, 1_000);
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
        UsageWriter writer = new UsageWriter(database, accounts, ledger, java.time.Clock.systemUTC(), 1, 1_000);
        try {
            List<UsageRequest> requests = new ArrayList<>();
            for (int index = 0; index < 40; index++) {
                // Every tenth source is longer than its column: the database refuses that insert,
                // which would fail the whole group's transaction.
                String source = index % 10 == 3 ? "x".repeat(5_000) : "test";
                requests.add(new UsageRequest(account, List.of(new NewUsage(UUID.randomUUID(), 1, source, "", "",
                        Metadata.EMPTY)), "serviceuser:test", Deadline.after(Duration.ofMinutes(5)), new CompletableFuture<>()));
            }
            requests.forEach(writer::submit);
            long applied = 0;
            long failed = 0;
            for (UsageRequest request : requests) {
                UsageOutcome outcome = request.outcome().get();
                if (outcome.result() == UsageOutcome.Result.FAILED) {
                    failed++;
                } else {
                    assertThat(outcome.result()).isEqualTo(UsageOutcome.Result.APPLIED);
                    applied++;
                }
            }
            assertThat(failed).isEqualTo(4);
            assertThat(applied).isEqualTo(36);
            assertThat(balance(account)).isEqualTo(1_000 - 36).isEqualTo(ledgerSum(account));
        } finally {
            writer.close();
        }
    }

    @Test
    void aDuplicateAndARefusedValueInOneGroupFailOnlyTheirOwnRequests() {
        UUID account = account(100, 0, true);
        UUID recorded = UUID.randomUUID();
        applyAlone(request(account, usage(recorded, 10)));
        UsageRequest fits = request(account, usage(UUID.randomUUID(), 30));
        UsageRequest duplicate = request(account, usage(recorded, 10));
        // Longer than its column: the database refuses it, after the duplicate was found.
        UsageRequest refused = new UsageRequest(account, List.of(new NewUsage(UUID.randomUUID(), 60, "x".repeat(5_000),
                "", "", Metadata.EMPTY)), "serviceuser:test", Deadline.after(Duration.ofMinutes(5)),
                new CompletableFuture<>());
        // Fits only because the refused request's 60 credits were never taken.
        UsageRequest fitsAfterRefusal = request(account, usage(UUID.randomUUID(), 60));

        List<UsageOutcome> outcomes = apply(fits, duplicate, refused, fitsAfterRefusal);

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.APPLIED, UsageOutcome.Result.DUPLICATE_ID, UsageOutcome.Result.FAILED,
                UsageOutcome.Result.APPLIED);
        assertThat(outcomes.get(2).failure().getSQLState()).startsWith("22");
        assertThat(balance(account)).isEqualTo(0).isEqualTo(ledgerSum(account));
    }

    @Test
    void eachEntryOfAGroupRecordsThePrincipalOfTheRequestThatSentIt() {
        UUID account = account(100, 0, true);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        UUID fourth = UUID.randomUUID();

        // One batch of entries from two callers, then (a refused value sends the group request by
        // request) the same again on the one-by-one path.
        apply(by("serviceuser:a", account, usage(first, 1)), by("serviceuser:b", account, usage(second, 1)));
        apply(by("serviceuser:c", account, usage(third, 1)),
                by("serviceuser:x", account, new NewUsage(UUID.randomUUID(), 1, "x".repeat(5_000), "", "",
                        Metadata.EMPTY)),
                by("serviceuser:d", account, usage(fourth, 1)));

        assertThat(List.of(createdBy(first), createdBy(second), createdBy(third), createdBy(fourth)))
                .containsExactly("serviceuser:a", "serviceuser:b", "serviceuser:c", "serviceuser:d");
    }

    @Test
    void placementsAndUsagesOfOneGroupShareTheAvailableBalanceInArrivalOrder() {
        UUID account = account(100, 0, true);
        UUID hold = UUID.randomUUID();

        List<UsageOutcome> outcomes = apply(
                placement(account, hold, 60),
                request(account, usage(UUID.randomUUID(), 50)),   // 40 available
                request(account, usage(UUID.randomUUID(), 30)),
                placement(account, UUID.randomUUID(), 11),        // 10 available
                placement(account, hold, 60),                     // the same again: the same hold
                placement(account, hold, 61),                     // the id with another amount
                placement(account, UUID.randomUUID(), 10));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.HOLD_PLACED,
                UsageOutcome.Result.INSUFFICIENT_CREDITS,
                UsageOutcome.Result.APPLIED,
                UsageOutcome.Result.INSUFFICIENT_CREDITS,
                UsageOutcome.Result.HOLD_PLACED,
                UsageOutcome.Result.HOLD_ID_TAKEN,
                UsageOutcome.Result.HOLD_PLACED);
        assertThat(outcomes.get(4).hold()).isEqualTo(outcomes.get(0).hold());
        assertThat(outcomes.get(0).hold().id()).isEqualTo(hold);
        assertThat(balance(account)).isEqualTo(70).isEqualTo(ledgerSum(account));
        assertThat(DATA.held(account)).isEqualTo(70);
    }

    @Test
    void aRepeatedPlacementAnswersTheRecordedHoldEvenWhenNothingIsAvailableAnyMore() {
        UUID account = account(100, 0, true);
        UUID hold = UUID.randomUUID();
        UsageOutcome first = apply(placement(account, hold, 100)).get(0);
        UUID elsewhere = account(100, 0, true);

        List<UsageOutcome> outcomes = apply(placement(account, hold, 100), placement(elsewhere, hold, 100),
                placement(account, UUID.randomUUID(), 1));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.HOLD_PLACED, UsageOutcome.Result.HOLD_ID_TAKEN,
                UsageOutcome.Result.INSUFFICIENT_CREDITS);
        assertThat(outcomes.get(0).hold()).isEqualTo(first.hold());
        assertThat(DATA.held(account)).isEqualTo(100);
        assertThat(DATA.held(elsewhere)).isZero();
    }

    @Test
    void aRepeatedPlacementWithCreditsToSpareAnswersTheRecordedHoldAndLeavesItsNeighboursAsTheyWere() {
        // The group takes placements to be new (no read first): the primary key refuses the repeat,
        // and the group decides again knowing the recorded hold.
        UUID account = account(100, 0, true);
        UUID hold = UUID.randomUUID();
        UsageOutcome first = apply(placement(account, hold, 30)).get(0);
        UUID usage = UUID.randomUUID();

        List<UsageOutcome> outcomes = apply(placement(account, UUID.randomUUID(), 20), placement(account, hold, 30),
                request(account, usage(usage, 50)), placement(account, UUID.randomUUID(), 1));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(
                UsageOutcome.Result.HOLD_PLACED, UsageOutcome.Result.HOLD_PLACED, UsageOutcome.Result.APPLIED,
                UsageOutcome.Result.INSUFFICIENT_CREDITS);
        assertThat(outcomes.get(1).hold()).isEqualTo(first.hold());
        assertThat(entriesWithId(usage)).isEqualTo(1);
        assertThat(balance(account)).isEqualTo(50).isEqualTo(ledgerSum(account));
        assertThat(DATA.held(account)).isEqualTo(50);
    }

    @Test
    void aPlacementOnADisabledAccountIsRefusedAndReservesNothing() {
        UUID disabled = account(100, 0, false);
        assertThat(apply(placement(disabled, UUID.randomUUID(), 1))).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.ACCOUNT_DISABLED);
        assertThat(DATA.held(disabled)).isZero();
    }

    /**
     * A writer that held the account's lock may have dated its entry after this group's clock
     * reading, which pushes the group's entries later still; a grant that expired in between is
     * past its expires_at at the entries' time and must not be spent (the fault-test audit found
     * such an allocation when grants were judged at the clock's reading).
     */
    @Test
    void aGrantIsJudgedAtTheTimeTheEntriesCarryNotAtTheClocksReading() {
        UUID account = account(0, 0, true);
        UUID grantId = UUID.randomUUID();
        Instant expiresAt = LedgerTestData.NOW.plusMillis(10);
        Instant laterWriter = LedgerTestData.NOW.plusMillis(20);
        database.inTransaction(connection -> {
            ledger.insert(connection, List.of(new NewEntry(new LedgerEntry(grantId, account, EntryKind.GRANT, 50, "test",
                    "", "", Metadata.EMPTY, Optional.empty(), LedgerTestData.NOW), "test")), id -> 50L);
            new GrantRepository(database.batchWrites()).insert(connection, new Grant(grantId, account, 50, 50, 0, Grant.PRIORITY_DEFAULT,
                    Optional.of(expiresAt), true, LedgerTestData.NOW));
            accounts.updateBalance(connection, account, 50, 0, laterWriter);
            return null;
        });

        UUID usageId = UUID.randomUUID();
        List<UsageOutcome> outcomes = apply(request(account, usage(usageId, 30)));

        assertThat(outcomes).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.INSUFFICIENT_CREDITS);
        assertThat(entriesWithId(usageId)).isZero();
        assertThat(balance(account)).isEqualTo(50);
    }

    private List<UsageOutcome> apply(UsageRequest... requests) {
        UsageGroup group = new UsageGroup(accounts, ledger);
        return database.inTransaction(connection -> group.apply(connection, Arrays.asList(requests), LedgerTestData.NOW));
    }

    private void applyAlone(UsageRequest request) {
        assertThat(apply(request)).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.APPLIED);
    }

    private UUID account(long credits, long creditMin, boolean active) {
        return DATA.account(credits, creditMin, active);
    }

    private long balance(UUID account) {
        return DATA.balance(account);
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

    private static UsageRequest by(String principal, UUID account, NewUsage usage) {
        return new UsageRequest(account, List.of(usage), principal, Deadline.after(Duration.ofMinutes(5)),
                new CompletableFuture<>());
    }

    /** The audit column of the entry: no read of the application selects it. */
    private String createdBy(UUID entryId) {
        return database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT created_by FROM billing_transactions WHERE id = ?")) {
                statement.setObject(1, entryId);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).as("entry " + entryId).isTrue();
                    return rows.getString(1);
                }
            }
        });
    }

    private long ledgerSum(UUID account) {
        return DATA.ledgerSum(account);
    }
}
