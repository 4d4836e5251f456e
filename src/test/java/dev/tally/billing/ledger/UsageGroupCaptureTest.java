package dev.tally.billing.ledger;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.common.Deadline;
import dev.tally.storage.Database;
import dev.tally.testing.StatementLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.tally.billing.ledger.LedgerTestData.NOW;
import static dev.tally.billing.ledger.LedgerTestData.placement;
import static dev.tally.billing.ledger.LedgerTestData.request;
import static dev.tally.billing.ledger.LedgerTestData.usage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures in the usage group decided from the hold as its caller knows it: what they cost in
 * statements, and that the guarded UPDATE judges when the hold was ended elsewhere meanwhile.
 */
class UsageGroupCaptureTest {
    @RegisterExtension
    static final LedgerTestData DATA = new LedgerTestData();

    private final Database database = DATA.database();
    private final HoldRepository holds = new HoldRepository();
    private final StatementLog log = new StatementLog();

    @Test
    void aGroupOfCapturesOfKnownHoldsReadsNoHoldRowAndLocksNone() {
        UUID account = DATA.account(100, 0, true);
        Hold first = place(account, 30);
        Hold second = place(account, 20);

        log.clear();
        List<UsageOutcome> outcomes = apply(NOW, capture(first, 30), capture(second, 5));

        assertThat(outcomes).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.APPLIED, UsageOutcome.Result.APPLIED);
        // Of the holds table only the held sum and the one guarded UPDATE of the captures:
        // no SELECT … FOR UPDATE of the hold rows, no savepoint beyond the entries' one.
        assertThat(log.count("billing_holds")).as(String.join("\n", log.statements())).isEqualTo(2);
        assertThat(log.count("update billing_holds")).isEqualTo(1);
        assertThat(log.count("for update", "billing_holds")).isZero();
        assertThat(log.count("SAVEPOINT")).isEqualTo(1);
        assertThat(DATA.balance(account)).isEqualTo(65).isEqualTo(DATA.ledgerSum(account));
        assertThat(DATA.held(account)).isZero();
    }

    @Test
    void aCaptureOfAHoldReleasedMeanwhileIsDecidedAgainWithTheHoldLocked() {
        UUID account = DATA.account(100, 0, true);
        Hold hold = place(account, 60);
        database.inTransaction(connection -> holds.finish(connection, hold.id(), HoldState.RELEASED,
                OptionalLong.empty(), Optional.empty(), NOW));

        // Known as held, the capture would take 60 out of a held sum that no longer has it; the
        // usage beside it would then be judged against 100 + 60. Decided again, it is refused.
        List<UsageOutcome> outcomes = apply(NOW, capture(hold, 60), request(account, usage(UUID.randomUUID(), 100)),
                request(account, usage(UUID.randomUUID(), 1)));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.HOLD_RELEASED,
                UsageOutcome.Result.APPLIED, UsageOutcome.Result.INSUFFICIENT_CREDITS);
        assertThat(DATA.balance(account)).isZero().isEqualTo(DATA.ledgerSum(account));
        assertThat(database.inTransaction(connection -> holds.find(connection, hold.id())).orElseThrow().storedState())
                .isEqualTo(HoldState.RELEASED);
    }

    @Test
    void aRepeatedCaptureKnownOnlyAsHeldIsTheRepeatItIsNotADuplicateUsage() {
        UUID account = DATA.account(100, 0, true);
        Hold hold = place(account, 40);
        UsageRequest capture = capture(hold, 40);
        assertThat(apply(NOW, capture)).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.APPLIED);

        // The same capture again (same debit id), its hold still known as held: the ledger refuses
        // the debit id, and with the hold locked the group sees the capture recorded.
        List<UsageOutcome> outcomes = apply(NOW, new UsageRequest(account, capture.usages(), capture.createdBy(),
                capture.deadline(), new CompletableFuture<>(), capture.capture()));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.CAPTURE_REPEATED);
        assertThat(DATA.balance(account)).isEqualTo(60).isEqualTo(DATA.ledgerSum(account));
    }

    @Test
    void aRepeatedCaptureKnownOnlyAsHeldIsAnsweredAsRecordedOncePastExpiry() {
        UUID account = DATA.account(100, 0, true);
        Hold hold = place(account, 40);
        assertThat(apply(NOW, capture(hold, 40))).extracting(UsageOutcome::result)
                .containsExactly(UsageOutcome.Result.APPLIED);

        // Memory still says held, and the hold's expiry has passed: that reads as expired unless the
        // row says otherwise, so the group reads it, and the capture is the repeat it is.
        List<UsageOutcome> outcomes = apply(NOW.plus(Duration.ofHours(1)), capture(hold, 40));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.CAPTURE_REPEATED);
        assertThat(DATA.balance(account)).isEqualTo(60).isEqualTo(DATA.ledgerSum(account));
    }

    @Test
    void aCaptureOfAHoldMarkedExpiredByAnotherClockIsRefusedAsExpired() {
        UUID account = DATA.account(100, 0, true);
        Hold hold = place(account, 40);
        // A sweeper whose clock is past the hold's expiry marks it; this group's time is before it.
        database.inTransaction(connection -> holds.expire(connection, hold.expiresAt(), 10));

        List<UsageOutcome> outcomes = apply(NOW, capture(hold, 40));

        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.HOLD_EXPIRED);
        assertThat(DATA.balance(account)).isEqualTo(100).isEqualTo(DATA.ledgerSum(account));
    }

    private Hold place(UUID account, long amount) {
        List<UsageOutcome> outcomes = apply(NOW, placement(account, UUID.randomUUID(), amount));
        assertThat(outcomes).extracting(UsageOutcome::result).containsExactly(UsageOutcome.Result.HOLD_PLACED);
        return outcomes.get(0).hold();
    }

    /** A capture as HoldService sends it, with the hold as it was known when placed. */
    private static UsageRequest capture(Hold known, long amount) {
        UUID usageId = UUID.randomUUID();
        return new UsageRequest(known.accountId(), amount == 0 ? List.of() : List.of(usage(usageId, amount)),
                "serviceuser:test", Deadline.after(Duration.ofMinutes(5)), new CompletableFuture<>(),
                Optional.of(new UsageRequest.HoldCapture(known.id(), amount, usageId, known)));
    }

    private List<UsageOutcome> apply(Instant now, UsageRequest... requests) {
        UsageGroup group = new UsageGroup(new BillingAccountRepository(database.batchWrites()), new LedgerRepository(database.batchWrites()));
        return database.inTransaction(connection -> group.apply(log.wrap(connection), Arrays.asList(requests), now));
    }
}
