package dev.tally.billing.ledger;

/**
 * What the usage lanes report as they work, for metrics (see {@code dev.tally.ops.UsageLaneMeters}).
 * Called on a lane's thread after each group's transaction: implementations must be quick and must not throw.
 */
public interface UsageLaneObserver {
    UsageLaneObserver NONE = (requests, commitNanos) -> { };

    /** A group of {@code requests} requests was applied (committed or refused as a whole) in {@code commitNanos}. */
    void groupApplied(int requests, long commitNanos);
}
