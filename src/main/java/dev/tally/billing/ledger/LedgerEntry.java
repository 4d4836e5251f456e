package dev.tally.billing.ledger;

import dev.tally.common.Metadata;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One immutable ledger entry. {@code createdBy} is the principal that caused it (audit);
 * {@code revertedUsageId} is present exactly on reverts.
 */
public record LedgerEntry(
        UUID id, UUID accountId, EntryKind kind, long amount, String source, String description,
        String userId, Metadata metadata, Optional<UUID> revertedUsageId, String createdBy, Instant createdAt) {

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
