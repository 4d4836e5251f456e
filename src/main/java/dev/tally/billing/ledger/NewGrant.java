package dev.tally.billing.ledger;

import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Credits an operator adds to an account. {@code id} is the caller's idempotency key: a grant
 * sent again with the same id and amount is answered with the first one and applied once.
 * {@code expiresAt} and {@code priority} shape the grant it opens (DESIGN §13); that expiresAt is in
 * the future is checked by the service, which has the clock, and only once it knows the grant is new.
 */
public record NewGrant(UUID id, long amount, String source, String description, String userId, Metadata metadata,
                       Optional<Instant> expiresAt, int priority) {

    public NewGrant {
        if (priority < 0 || priority > Grant.PRIORITY_MAX) {
            throw TallyException.invalidArgument("priority: " + priority + " (expected: 0 to " + Grant.PRIORITY_MAX + ")");
        }
    }

    public static NewGrant fromCaller(String id, long amount, String source, String description, String userId,
                                      Metadata metadata) {
        return fromCaller(id, amount, source, description, userId, metadata, Optional.empty(), OptionalInt.empty());
    }

    /** @param priority absent means {@link Grant#PRIORITY_DEFAULT} */
    public static NewGrant fromCaller(String id, long amount, String source, String description, String userId,
                                      Metadata metadata, Optional<Instant> expiresAt, OptionalInt priority) {
        UUID grantId = id.isEmpty() ? UUID.randomUUID() : Ids.parse("id", id);
        if (amount <= 0) {
            throw TallyException.invalidArgument("amount: " + amount + " (expected: > 0)");
        }
        return new NewGrant(grantId, amount,
                Text.checkLength("source", source),
                Text.checkLength("description", description),
                Text.checkLength("user_id", userId),
                metadata, expiresAt, priority.orElse(Grant.PRIORITY_DEFAULT));
    }

    /**
     * Refuses an expires_at that is not after {@code now}: such a grant could never be spent. Asked
     * of a new grant only, never of a repeat of a recorded one (whose answer is the first one's).
     */
    void checkExpiresAfter(Instant now) {
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw TallyException.invalidArgument("expires_at: " + expiresAt.get() + " (expected: in the future)");
        }
    }
}
