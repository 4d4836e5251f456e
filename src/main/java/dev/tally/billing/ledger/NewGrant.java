package dev.tally.billing.ledger;

import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.util.UUID;

/**
 * Credits an operator adds to an account. {@code id} is the caller's idempotency key: a grant
 * sent again with the same id and amount is answered with the first one and applied once.
 */
public record NewGrant(UUID id, long amount, String source, String description, String userId, Metadata metadata) {

    public static NewGrant fromCaller(String id, long amount, String source, String description, String userId,
                                      Metadata metadata) {
        UUID grantId = id.isEmpty() ? UUID.randomUUID() : Ids.parse("id", id);
        if (amount <= 0) {
            throw TallyException.invalidArgument("amount: " + amount + " (expected: > 0)");
        }
        return new NewGrant(grantId, amount,
                Text.checkLength("source", source),
                Text.checkLength("description", description),
                Text.checkLength("user_id", userId),
                metadata);
    }
}
