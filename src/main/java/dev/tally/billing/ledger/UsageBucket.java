package dev.tally.billing.ledger;

import java.time.Instant;

/**
 * Usage in one window [start, end): usage debits, revert credits (under the reverted usage's
 * source) and their difference. {@code source} is empty when the summary is not grouped by source.
 */
public record UsageBucket(Instant start, Instant end, String source, long usage, long reverted, long usageCount) {
    public long net() {
        return usage - reverted;
    }
}
