package dev.tally.billing.ledger;

import dev.tally.common.Metadata;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Credits reserved on an account (DESIGN §12), as stored. A stored {@code held} hold past
 * {@code expiresAt} is expired: {@link #stateAt} is the state every reader and writer goes by, so
 * expiry takes effect at {@code expiresAt} whether or not the sweeper has marked the row.
 */
public record Hold(UUID id, UUID accountId, long amount, OptionalLong capturedAmount, HoldState storedState,
                   Instant expiresAt, Optional<UUID> usageId, String source, String description, String userId,
                   Metadata metadata, String createdBy, Instant createdAt, Instant updatedAt) {

    public HoldState stateAt(Instant now) {
        return storedState == HoldState.HELD && !now.isBefore(expiresAt) ? HoldState.EXPIRED : storedState;
    }

    /** The hold as a reader at {@code now} sees it: a held hold past expires_at reads expired. */
    public Hold asSeenAt(Instant now) {
        HoldState state = stateAt(now);
        return state == storedState ? this : new Hold(id, accountId, amount, capturedAmount, state, expiresAt,
                usageId, source, description, userId, metadata, createdBy, createdAt, updatedAt);
    }

    /** Whether the hold still reserves its amount at {@code now}. */
    public boolean isLiveAt(Instant now) {
        return stateAt(now) == HoldState.HELD;
    }
}
