package dev.tally.billing.ledger;

import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;

/** A hold as a caller asks for it, checked as it enters (DESIGN §12). */
public record NewHold(UUID id, long amount, Duration expiresIn, String source, String description, String userId,
                      Metadata metadata) {
    public static final long EXPIRES_IN_DEFAULT_SECONDS = 900;
    public static final long EXPIRES_IN_MAX_SECONDS = 604_800;

    /** @param expiresIn seconds, absent for the default; an explicit 0 is refused like any value out of range */
    public static NewHold fromCaller(String id, long amount, OptionalLong expiresIn, String source,
                                     String description, String userId, Metadata metadata) {
        UUID holdId = Ids.parse("id", id);
        if (amount <= 0) {
            throw TallyException.invalidArgument("amount: " + amount + " (expected: > 0)");
        }
        long seconds = expiresIn.orElse(EXPIRES_IN_DEFAULT_SECONDS);
        if (seconds < 1 || seconds > EXPIRES_IN_MAX_SECONDS) {
            throw TallyException.invalidArgument(
                    "expires_in: " + seconds + " (expected: 1 to " + EXPIRES_IN_MAX_SECONDS + " seconds)");
        }
        return new NewHold(holdId, amount, Duration.ofSeconds(seconds),
                Text.checkLength("source", source).toLowerCase(Locale.ROOT),
                Text.checkLength("description", description),
                Text.checkLength("user_id", userId),
                metadata);
    }
}
