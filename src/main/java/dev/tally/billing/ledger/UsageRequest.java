package dev.tally.billing.ledger;

import dev.tally.common.Deadline;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's request on a resolved account, answered by its {@code outcome} once its group
 * commits (no thread waits for it: ADR 0014). The caller's answer is a 503 at {@code deadline}; a
 * lane that reaches the request only after it applies nothing.
 *
 * <p>Three kinds share the lanes, so that one group commit carries all of a hot account's writes
 * (DESIGN §12): a usage report (only {@code usages}); a hold's capture ({@code capture} set: its
 * usages, none for a capture of 0, are the debit, covered by the hold rather than by the available
 * balance); and a hold's placement ({@code placement} set, no usages: it reserves credits from
 * the available balance and writes no entry).
 */
record UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, Deadline deadline,
                    CompletableFuture<UsageOutcome> outcome, Optional<HoldCapture> capture,
                    Optional<NewHold> placement) {

    UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, Deadline deadline,
                 CompletableFuture<UsageOutcome> outcome) {
        this(accountId, usages, createdBy, deadline, outcome, Optional.empty(), Optional.empty());
    }

    UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, Deadline deadline,
                 CompletableFuture<UsageOutcome> outcome, Optional<HoldCapture> capture) {
        this(accountId, usages, createdBy, deadline, outcome, capture, Optional.empty());
    }

    /** A request that places {@code hold} on the account; its outcome carries the hold. */
    static UsageRequest placing(UUID accountId, NewHold hold, String createdBy, Deadline deadline) {
        return new UsageRequest(accountId, List.of(), createdBy, deadline, new CompletableFuture<>(),
                Optional.empty(), Optional.of(hold));
    }

    /**
     * Which hold a capture ends, and the credits it debits (0 to the hold's amount). {@code known}
     * is the hold as the caller last read or placed it: its account, amount and debit fields never
     * change, its state may be stale, which the group's guarded UPDATE judges ({@link UsageGroup}).
     */
    record HoldCapture(UUID holdId, long amount, UUID usageId, Hold known) {
        HoldCapture {
            if (!known.id().equals(holdId)) {
                throw new IllegalArgumentException("known: hold " + known.id() + " (expected: " + holdId + ")");
            }
        }
    }

    /** The request's total; callers have checked that it does not overflow. */
    long total() {
        long total = 0;
        for (NewUsage usage : usages) {
            total += usage.amount();
        }
        return total;
    }

    /** The rows the request may write, for bounding a group: its usages, or one for a hold's row. */
    int rows() {
        return Math.max(1, usages.size());
    }
}
