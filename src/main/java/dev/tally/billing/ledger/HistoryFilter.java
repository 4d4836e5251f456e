package dev.tally.billing.ledger;

import dev.tally.common.PageTokens;
import dev.tally.common.TallyException;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Which of an account's entries a history read covers: created in [start, end), optionally of one
 * type and one source. Checked where it is made, so no read sees an inverted range.
 */
public record HistoryFilter(Instant start, Instant end, Optional<EntryType> type, Optional<String> source) {
    static final Instant OPEN_START = Instant.EPOCH;
    static final Instant OPEN_END = Instant.parse("9999-12-31T23:59:59Z");

    public HistoryFilter {
        if (!start.isBefore(end)) {
            throw TallyException.invalidArgument("end_range: " + end + " (expected: after start_range " + start + ")");
        }
    }

    /** From the caller's optional values; {@code type} is "debit", "credit" or empty, {@code source} empty for any. */
    public static HistoryFilter of(Optional<Instant> start, Optional<Instant> end, String type, String source) {
        return new HistoryFilter(start.orElse(OPEN_START), end.orElse(OPEN_END), type(type),
                source.isEmpty() ? Optional.empty() : Optional.of(source));
    }

    private static Optional<EntryType> type(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (EntryType type : EntryType.values()) {
            if (type.wireName().equals(text.toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        throw TallyException.invalidArgument("type: \"" + text + "\" (expected: debit or credit)");
    }

    /** What a page token of {@code accountId}'s entries is bound to: the same account and filter must come with it. */
    PageTokens.Binding pageTokenBinding(UUID accountId) {
        String fingerprint = start + "|" + end + "|" + type.map(EntryType::wireName).orElse("") + "|" + source.orElse("");
        return new PageTokens.Binding(accountId, "issued for another billing account", fingerprint,
                "issued for other start_range, end_range, type or source values");
    }
}
