package dev.tally.billing.ledger;

import dev.tally.common.Deadline;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's usage request on a resolved account, waiting for its group to commit. The caller
 * stops waiting at {@code deadline}; a lane that reaches the request only after it applies nothing.
 */
record UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, Deadline deadline,
                    CompletableFuture<UsageOutcome> outcome) {

    /** The request's total; callers have checked that it does not overflow. */
    long total() {
        long total = 0;
        for (NewUsage usage : usages) {
            total += usage.amount();
        }
        return total;
    }
}
