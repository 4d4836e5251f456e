package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.common.Metadata;
import dev.tally.storage.Database;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.tally.billing.ledger.LedgerTestData.request;
import static dev.tally.billing.ledger.LedgerTestData.usage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group-commit path decided request by request: good and bad requests in one group each get
 * their own answer, and the ledger matches what was applied. Groups are composed by hand here so
 * that every mix is certain; the HTTP tests cover the same path under real concurrency.
 */
class UsageGroupTest {
    private static TestDatabase testDatabase;
    private static Database database;
    private final BillingAccountRepository accounts = new BillingAccountRepository();
    private final LedgerRepository ledger = new LedgerRepository();
    private final LedgerTestData data = new LedgerTestData(database);

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
        UsageWriter writer = new UsageWriter(database, accounts, ledger, java.time.Clock.systemUTC(), 2, 1_000);
        try {
            List<UsageRequest> requests = new ArrayList<>();
            UUID duplicated = UUID.randomUUID();
            for (int index = 0; index < 300; index++) {
                UUID id = index % 50 == 0 ? duplicated : UUID.randomUUID();
                requests.add(request(account, usage(id, 7)));
            }
            requests.forEach(writer::submit);
            long applied = 0;
            for (UsageRequest request : requests) {
                UsageOutcome outcome = request.outcome().get();
                assertThat(outcome.result()).isIn(UsageOutcome.Result.APPLIED, UsageOutcome.Result.DUPLICATE_ID,
                        UsageOutcome.Result.INSUFFICIENT_CREDITS);
                applied += outcome.result() == UsageOutcome.Result.APPLIED ? 1 : 0;
            }
            // 1,000 credits cover 142 usages of 7; the duplicated id applies at most once.
            assertThat(applied).isEqualTo(142);
            assertThat(balance(account)).isEqualTo(1_000 - 7 * applied).isEqualTo(ledgerSum(account));
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

    private List<UsageOutcome> apply(UsageRequest... requests) {
        UsageGroup group = new UsageGroup(accounts, ledger);
        return database.inTransaction(connection -> group.apply(connection, Arrays.asList(requests), LedgerTestData.NOW));
    }

    private void applyAlone(UsageRequest request) {
        assertThat(apply(request)).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.APPLIED);
    }

    private UUID account(long credits, long creditMin, boolean active) {
        return data.account(credits, creditMin, active);
    }

    private long balance(UUID account) {
        return data.balance(account);
    }

    private long ledgerSum(UUID account) {
        return data.ledgerSum(account);
    }
}
