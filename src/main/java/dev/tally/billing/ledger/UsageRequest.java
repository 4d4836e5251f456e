package dev.tally.billing.ledger;

import dev.tally.common.Deadline;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's usage request on a resolved account, waiting for its group to commit. The caller
 * stops waiting at {@code deadline}; a lane that reaches the request only after it applies nothing.
 * A hold's capture (DESIGN §12) is a usage request with {@code capture} set: its usages (none for
 * a capture of 0) are the debit, covered by the hold rather than by the available balance.
 */
record UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, Deadline deadline,
                    CompletableFuture<UsageOutcome> outcome, Optional<HoldCapture> capture) {

    UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, Deadline deadline,
                 CompletableFuture<UsageOutcome> outcome) {
        this(accountId, usages, createdBy, deadline, outcome, Optional.empty());
    }

    /** Which hold a capture ends, and the credits it debits (0 to the hold's amount). */
    record HoldCapture(UUID holdId, long amount, UUID usageId) {}

    /** The request's total; callers have checked that it does not overflow. */
    long total() {
        long total = 0;
        for (NewUsage usage : usages) {
            total += usage.amount();
        }
        return total;
    }
}
