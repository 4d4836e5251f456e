package dev.tally.billing.ledger;

import dev.tally.common.Metadata;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One immutable ledger entry; {@code revertedUsageId} is present exactly on reverts. The principal
 * that caused it is not part of it: it is written beside it ({@link NewEntry}) into the audit column
 * {@code created_by}, which no reply prints and so no read selects.
 */
public record LedgerEntry(
        UUID id, UUID accountId, EntryKind kind, long amount, String source, String description,
        String userId, Metadata metadata, Optional<UUID> revertedUsageId, Instant createdAt) {

    public LedgerEntry {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount: " + amount + " (expected: > 0)");
        }
        if ((kind == EntryKind.REVERT) != revertedUsageId.isPresent()) {
            throw new IllegalArgumentException("a revert, and only a revert, names the usage it reverts");
        }
    }

    public EntryType type() {
        return kind.type();
    }
}
