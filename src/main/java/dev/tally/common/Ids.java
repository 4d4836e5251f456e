package dev.tally.common;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Parsing of the uuids that callers send as strings, and random ids that guard nothing. */
public final class Ids {
    private static final int CANONICAL_LENGTH = 36;

    private Ids() {}

    /**
     * A random (version 4) UUID from the thread's generator, for an id that only tells things apart
     * (a request id in the logs, a load tool's usage ids) and guards nothing: it needs no SecureRandom,
     * whose lock every thread would take for every id. Never for a secret or an id a caller must not guess.
     */
    public static UUID unguarded() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    public static Optional<UUID> tryParse(String value) {
        if (value == null || !isCanonical(value)) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(value));
    }

    /**
     * UUID.fromString accepts short forms such as "1-2-3-4-5"; ids on the wire must be canonical:
     * 8-4-4-4-12 hex digits. Checked by hand, as it is on every request's path (a regex costs more).
     */
    private static boolean isCanonical(String value) {
        if (value.length() != CANONICAL_LENGTH) {
            return false;
        }
        for (int index = 0; index < CANONICAL_LENGTH; index++) {
            char c = value.charAt(index);
            boolean ok = index == 8 || index == 13 || index == 18 || index == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code value} or fails with INVALID_ARGUMENT naming {@code field}. */
    public static UUID parse(String field, String value) {
        return tryParse(value).orElseThrow(() -> TallyException.invalidArgument(
                field + ": " + Text.quote(value) + " (expected: a uuid)"));
    }
}
