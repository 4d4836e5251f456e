package dev.tally.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

public final class Times {
    private Times() {}

    /**
     * The clock's instant at the precision the databases keep (microseconds), so that what a
     * write returns equals what a later read returns.
     */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
