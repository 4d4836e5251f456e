package dev.tally.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process's background chores, on two threads: one flushes the access log every 100 ms, the
 * other runs the purges (expired idempotency keys, old webhook history). They are apart because a
 * purge can take minutes on a large table, and on one shared thread the access log would wait for
 * it: its lines would reach standard output late, and past 64 KiB of backlog {@link BatchedLines}
 * would write from the event loop.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    private final ScheduledExecutorService flushes = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-access-log-flush").daemon().factory());
    private final ScheduledExecutorService purges = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-housekeeping").daemon().factory());

    /** Flushes {@code out} every {@link #FLUSH_INTERVAL}, whatever the purges are doing. */
    public void flushEvery100Millis(Flushable out) {
        long millis = FLUSH_INTERVAL.toMillis();
        flushes.scheduleWithFixedDelay(() -> flush(out), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code purge} after {@code initialDelay}, then {@code delay} after each run ends; one purge at a time. */
    public void purgeEvery(Duration initialDelay, Duration delay, Runnable purge) {
        purges.scheduleWithFixedDelay(purge, initialDelay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops both threads; a purge in progress is interrupted (it runs again at the next start). */
    @Override
    public void close() {
        purges.shutdownNow();
        flushes.shutdownNow();
    }

    private static void flush(Flushable out) {
        // A failure that escaped would cancel every later flush of the schedule: log it and go on.
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not flush the access log; will try again", e);
        }
    }
}
