package dev.tally.webhooks;

import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link Dispatcher} schedules attempts. Production uses {@link #DEFAULTS} (DESIGN §14);
 * tests shorten the times.
 *
 * @param backoffBase     the wait after the first failed attempt; each further failure doubles it
 * @param backoffMax      the longest wait between two attempts
 * @param retryWindow     how long after its first delivery is due an event is retried, then failed
 * @param attemptTimeout  how long one attempt may take, connection and answer included
 * @param lease           how long a claimed delivery is held: longer than an attempt, so that
 *                        nobody else claims it while it is in flight
 * @param pollInterval    how often the outbox and the due deliveries are looked at when idle
 * @param inFlightMax     how many attempts one dispatcher has in flight at once
 */
public record DispatcherSettings(Duration backoffBase, Duration backoffMax, Duration retryWindow,
                                 Duration attemptTimeout, Duration lease, Duration pollInterval, int inFlightMax,
                                 Clock clock) {
    public static final DispatcherSettings DEFAULTS = new DispatcherSettings(Duration.ofSeconds(1),
            Duration.ofHours(1), Duration.ofHours(24), Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofMillis(200), 64, Clock.systemUTC());

    public DispatcherSettings {
        if (lease.compareTo(attemptTimeout.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("lease: " + lease + " (expected: at least twice attemptTimeout "
                    + attemptTimeout + ")");
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoff: " + backoffBase + " to " + backoffMax
                    + " (expected: 0 < base <= max)");
        }
        if (inFlightMax < 1) {
            throw new IllegalArgumentException("inFlightMax: " + inFlightMax + " (expected: >= 1)");
        }
    }

    public DispatcherSettings withBackoff(Duration base, Duration max) {
        return new DispatcherSettings(base, max, retryWindow, attemptTimeout, lease, pollInterval, inFlightMax, clock);
    }

    public DispatcherSettings withRetryWindow(Duration window) {
        return new DispatcherSettings(backoffBase, backoffMax, window, attemptTimeout, lease, pollInterval,
                inFlightMax, clock);
    }

    public DispatcherSettings withTimeouts(Duration attempt, Duration leaseDuration) {
        return new DispatcherSettings(backoffBase, backoffMax, retryWindow, attempt, leaseDuration, pollInterval,
                inFlightMax, clock);
    }

    public DispatcherSettings withPollInterval(Duration interval) {
        return new DispatcherSettings(backoffBase, backoffMax, retryWindow, attemptTimeout, lease, interval,
                inFlightMax, clock);
    }

    /** The wait after the {@code failures}-th failed attempt in a row: base, 2 base, 4 base, ... up to max. */
    Duration backoffAfter(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 40);
        Duration delay = backoffBase.multipliedBy(1L << Math.min(doublings, 30));
        return delay.compareTo(backoffMax) > 0 || doublings >= 30 ? backoffMax : delay;
    }
}
