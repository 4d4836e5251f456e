package dev.tally.billing.ledger;

import java.util.Optional;
import java.util.UUID;

/**
 * What one entry took from (a debit) or gave back to (a revert) one grant; an empty
 * {@code grantId} is the account's debt. {@code spentOrder} orders one entry's allocations.
 */
public record Allocation(UUID entryId, int spentOrder, Optional<UUID> grantId, long amount) {
    public Allocation {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount: " + amount + " (expected: > 0)");
        }
    }
}
