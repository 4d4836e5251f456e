package dev.tally.billing.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the expiry entries of grants past expires_at, in the background (see {@link GrantExpiry}).
 * Runs every few seconds, so an entry follows its expires_at well within the minute DESIGN §13 allows.
 */
public final class GrantSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrantSweeper.class);
    static final int BATCH = 500;

    private final GrantExpiry expiry;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tally-grant-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    public GrantSweeper(GrantExpiry expiry, Duration interval) {
        this.expiry = expiry;
        executor.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sweeps until no due grant is left; a failure waits for the next round. */
    void sweep() {
        try {
            while (expiry.expireDue(BATCH) == BATCH) {
                // More are due: go on at once.
            }
        } catch (RuntimeException e) {
            LOG.warn("Writing grant expiries failed; the next round retries", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
