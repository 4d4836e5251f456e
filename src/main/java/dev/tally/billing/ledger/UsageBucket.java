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

    static UsageBucket empty(Instant start, Instant end, String source) {
        return new UsageBucket(start, end, source, 0, 0, 0);
    }

    UsageBucket plus(HistoryRepository.Rollup rollup) {
        return new UsageBucket(start, end, source, Math.addExact(usage, rollup.usage()),
                Math.addExact(reverted, rollup.reverted()), Math.addExact(usageCount, rollup.usageCount()));
    }

    UsageBucket plus(UsageBucket other) {
        return new UsageBucket(start, end, source, Math.addExact(usage, other.usage),
                Math.addExact(reverted, other.reverted), Math.addExact(usageCount, other.usageCount));
    }
}
