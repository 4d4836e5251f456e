package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import dev.tally.storage.Database;
import dev.tally.testing.AccountRowLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.tally.billing.ledger.LedgerTestData.request;
import static dev.tally.billing.ledger.LedgerTestData.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lanes' promises to callers: a full lane refuses at once, a request whose deadline passed in
 * the queue applies nothing, and every request of a group is answered exactly once. A transaction
 * of the test holds the account's row lock to keep a lane busy, so that the queue's state is certain.
 */
class UsageWriterTest {
    @RegisterExtension
    static final LedgerTestData DATA = new LedgerTestData();

    private final Database database = DATA.database();
    private final BillingAccountRepository accounts = new BillingAccountRepository(database.batchWrites());
    private UsageWriter writer;

    @AfterEach
    void closeWriter() {
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void aFullLaneRefusesARequestAtOnceWithUnavailable() throws Exception {
        UUID account = DATA.account(100, 0, true);
        writer = new UsageWriter(database, accounts, new LedgerRepository(database.batchWrites()), Clock.systemUTC(), 1, 1);
        try (AccountRowLock lock = new AccountRowLock(database, account)) {
            UsageRequest committing = submitAndWaitUntilTaken(request(account, usage(UUID.randomUUID(), 10)));
            UsageRequest queued = request(account, usage(UUID.randomUUID(), 20));
            writer.submit(queued);
            UsageRequest refused = request(account, usage(UUID.randomUUID(), 30));

            long startNanos = System.nanoTime();
            assertThatThrownBy(() -> writer.submit(refused))
                    .isInstanceOfSatisfying(TallyException.class,
                            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("retry");
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(1));

            lock.release();
            assertThat(committing.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(UsageOutcome.APPLIED);
            assertThat(queued.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(UsageOutcome.APPLIED);
        }
        assertThat(DATA.balance(account)).isEqualTo(70).isEqualTo(DATA.ledgerSum(account));
    }

    @Test
    void aRequestWhoseDeadlinePassesWhileItQueuesIsNeverApplied() throws Exception {
        UUID account = DATA.account(100, 0, true);
        writer = new UsageWriter(database, accounts, new LedgerRepository(database.batchWrites()), Clock.systemUTC(), 1, 10);
        UUID lateUsage = UUID.randomUUID();
        UsageRequest late = request(account, Deadline.after(Duration.ofMillis(200)), usage(lateUsage, 20));
        UsageRequest committing;
        try (AccountRowLock lock = new AccountRowLock(database, account)) {
            committing = submitAndWaitUntilTaken(request(account, usage(UUID.randomUUID(), 10)));
            writer.submit(late);
            Thread.sleep(400);
            lock.release();
            assertThat(committing.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(UsageOutcome.APPLIED);
        }
        assertThatThrownBy(() -> late.outcome().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TallyException.class,
                        failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("nothing was applied");
        assertThat(DATA.isRecorded(lateUsage)).isFalse();
        assertThat(DATA.balance(account)).isEqualTo(90).isEqualTo(DATA.ledgerSum(account));
    }

    @Test
    void theCallersWaitEndsAtItsDeadlineWhileTheLaneIsBusyAndTheLaneStillAnswersTheRequestOnce() throws Exception {
        UUID account = DATA.account(100, 0, true);
        writer = new UsageWriter(database, accounts, new LedgerRepository(database.batchWrites()), Clock.systemUTC(), 1, 10);
        AccountRowLock lock = new AccountRowLock(database, account);
        UsageRequest waiting;
        try {
            long startNanos = System.nanoTime();
            waiting = request(account, Deadline.after(Duration.ofMillis(300)), usage(UUID.randomUUID(), 10));
            var answer = writer.submit(waiting);

            assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
                    .isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
            assertThat(waiting.outcome()).as("the lane's to answer, not the watch's").isNotDone();
        } finally {
            lock.release();
        }
        // Taken before its deadline, so applied when the lock is released: the caller was told to retry.
        assertThat(waiting.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(UsageOutcome.APPLIED);
    }

    @Test
    void aGroupWithoutOneOutcomePerRequestAnswersNoOneWithAnotherRequestsOutcome() {
        UUID account = UUID.randomUUID();
        List<UsageRequest> group = List.of(request(account, usage(UUID.randomUUID(), 1)),
                request(account, usage(UUID.randomUUID(), 1)));

        assertThatThrownBy(() -> GroupOutcomes.complete(group, List.of(UsageOutcome.APPLIED)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(group).allSatisfy(request -> assertThat(request.outcome()).isNotDone());

        GroupOutcomes.complete(group, List.of(UsageOutcome.APPLIED, UsageOutcome.INSUFFICIENT_CREDITS));
        assertThatThrownBy(() -> GroupOutcomes.complete(group, List.of(UsageOutcome.INSUFFICIENT_CREDITS,
                UsageOutcome.APPLIED))).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        assertThat(group.get(0).outcome().join()).isEqualTo(UsageOutcome.APPLIED);
    }

    /** Submits the request and returns once its lane has taken it (and is now waiting for the lock). */
    private UsageRequest submitAndWaitUntilTaken(UsageRequest request) throws InterruptedException {
        writer.submit(request);
        long giveUpNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.queuedRequests() > 0) {
            assertThat(System.nanoTime()).as("the lane takes the request").isLessThan(giveUpNanos);
            Thread.sleep(5);
        }
        return request;
    }
}
