package dev.tally.billing.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Marks holds past expires_at as expired, in the background. Only bookkeeping: expiry already
 * counts at expires_at for every read and write ({@link Hold#stateAt}), so a sweep that is late,
 * or never runs, changes no answer. Several processes may sweep at once: each row is marked once.
 */
public final class HoldSweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HoldSweeper.class);
    static final int BATCH = 1000;

    private final HoldService holds;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tally-hold-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    public HoldSweeper(HoldService holds, Duration interval) {
        this.holds = holds;
        executor.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sweeps until no due hold is left; a failure waits for the next round. */
    void sweep() {
        try {
            while (holds.expireDue(BATCH) == BATCH) {
                // More are due: go on at once.
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweeping expired holds failed; the next round retries", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
