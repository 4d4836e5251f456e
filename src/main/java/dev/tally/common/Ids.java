package dev.tally.common;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parsing of the uuids that callers send as strings. */
public final class Ids {
    // UUID.fromString accepts short forms such as "1-2-3-4-5"; ids on the wire must be canonical.
    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {}

    public static Optional<UUID> tryParse(String value) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(value));
    }

    /** Parses {@code value} or fails with INVALID_ARGUMENT naming {@code field}. */
    public static UUID parse(String field, String value) {
        return tryParse(value).orElseThrow(() -> TallyException.invalidArgument(
                field + ": " + Text.quote(value) + " (expected: a uuid)"));
    }
}
