package dev.tally.billing.ledger;

import dev.tally.common.TallyException;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

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

    /** What a page token is bound to: the same filter must come with it. */
    String fingerprint() {
        return start + "|" + end + "|" + type.map(EntryType::wireName).orElse("") + "|" + source.orElse("");
    }
}
