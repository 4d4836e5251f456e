package dev.tally.billing.ledger;

import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.util.Locale;
import java.util.UUID;

/** One usage as a caller reports it, checked as it enters (DESIGN §5). */
public record NewUsage(UUID id, long amount, String source, String description, String userId, Metadata metadata) {

    /**
     * @param field the usage's place in the request, such as {@code usages[3]}, for error messages
     * @param type  Frontier's usage type: empty or "credit" debit credits; "feature" usage is not billed here
     */
    public static NewUsage fromCaller(String field, String id, String type, long amount, String source,
                                      String description, String userId, Metadata metadata) {
        UUID usageId = Ids.parse(field + ".id", id);
        if (!type.isEmpty() && !type.equals("credit")) {
            throw TallyException.invalidArgument(
                    field + ".type: " + Text.quote(type) + " (expected: \"credit\" or empty)");
        }
        if (amount <= 0) {
            throw TallyException.invalidArgument(field + ".amount: " + amount + " (expected: > 0)");
        }
        return new NewUsage(usageId, amount,
                Text.checkLength(field + ".source", source).toLowerCase(Locale.ROOT),
                Text.checkLength(field + ".description", description),
                Text.checkLength(field + ".user_id", userId),
                metadata);
    }
}
