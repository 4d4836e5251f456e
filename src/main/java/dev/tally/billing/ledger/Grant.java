package dev.tally.billing.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * A grant (DESIGN §13): the credits one credit entry added ({@code id} is the entry's), what is
 * left of them, and when that remainder expires. {@code expired} is what an expiry took;
 * {@code expiryPending} says the expiry entry of {@code expiresAt} is not written yet.
 */
public record Grant(UUID id, UUID accountId, long amount, long remaining, long expired, int priority,
                    Optional<Instant> expiresAt, boolean expiryPending, Instant createdAt) {
    public static final int PRIORITY_DEFAULT = 50;
    public static final int PRIORITY_MAX = 100;

    /** The documented spending order: priority (lower first), expires_at (none last), created_at, id. */
    static final Comparator<Grant> SPENDING_ORDER = Comparator.comparingInt(Grant::priority)
            .thenComparing(grant -> grant.expiresAt().orElse(Instant.MAX))
            .thenComparing(Grant::createdAt)
            .thenComparing(grant -> grant.id().toString());

    public Grant {
        if (remaining < 0 || remaining > amount) {
            throw new IllegalArgumentException("remaining: " + remaining + " (expected: 0 to " + amount + ")");
        }
    }

    /** Past expires_at: its remainder is no longer spendable, whether or not its expiry entry exists. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
    }

    /** What a reader sees: expired (its expiry took or will take something), spent, or active. */
    public GrantState stateAt(Instant now) {
        if (expired > 0 || (remaining > 0 && isExpiredAt(now))) {
            return GrantState.EXPIRED;
        }
        return remaining == 0 ? GrantState.SPENT : GrantState.ACTIVE;
    }

    Grant withRemaining(long newRemaining) {
        return new Grant(id, accountId, amount, newRemaining, expired, priority, expiresAt, expiryPending, createdAt);
    }
}
