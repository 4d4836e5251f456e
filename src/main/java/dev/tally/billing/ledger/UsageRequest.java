package dev.tally.billing.ledger;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** One caller's usage request on a resolved account, waiting for its group to commit. */
record UsageRequest(UUID accountId, List<NewUsage> usages, String createdBy, CompletableFuture<UsageOutcome> outcome) {

    /** The request's total; callers have checked that it does not overflow. */
    long total() {
        long total = 0;
        for (NewUsage usage : usages) {
            total += usage.amount();
        }
        return total;
    }
}
