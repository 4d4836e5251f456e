package dev.tally.billing.ledger;

import dev.tally.common.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends the wait for a lane's answer once the request's deadline passes (its lane still busy with a
 * group that waits on a lock or a slow commit): one thread looks at every request in flight each
 * {@link #TICK_NANOS}, instead of a timer per request. {@code CompletableFuture.orTimeout} cost each
 * usage request two hand-offs to the JDK's delay scheduler (schedule, then cancel) and 7-10 µs of
 * its CPU (ADR 0014, measured by {@code UsageHandOffs}), about what not parking a thread saved.
 * A wait so ends up to one tick after its deadline: inside {@code RequestDeadlines}' margin before
 * the transport's own timeout (100 ms, or a tenth of a shorter timeout), except for a timeout under
 * 100 ms, whose margin is under a tick and whose transport may answer first (ADR 0014).
 */
final class DeadlineWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineWatch.class);
    static final long TICK_NANOS = 10_000_000;

    private final Set<Waiting> waiting = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    /** Identity, not value: two requests with one deadline are two waits. */
    private static final class Waiting {
        final Deadline deadline;
        final CompletableFuture<UsageOutcome> answer;

        Waiting(Deadline deadline, CompletableFuture<UsageOutcome> answer) {
            this.deadline = deadline;
            this.answer = answer;
        }
    }

    DeadlineWatch() {
        thread = new Thread(this::run, "tally-usage-deadlines");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A stage of the request's outcome that fails with a {@link TimeoutException} once its deadline
     * has passed; the request's own future is left to its lane, which completes it exactly once.
     */
    CompletableFuture<UsageOutcome> answerByDeadline(UsageRequest request) {
        CompletableFuture<UsageOutcome> answer = request.outcome().copy();
        waiting.add(new Waiting(request.deadline(), answer));
        return answer;
    }

    /**
     * The watch survives anything, Errors included, as a usage lane does: a dead watch would leave
     * every later caller of a stuck lane to the transport's timeout instead of Tally's 503.
     */
    private void run() {
        while (!closed) {
            LockSupport.parkNanos(TICK_NANOS);
            try {
                endPassedWaits();
            } catch (Throwable failure) {
                LOG.warn("Ending the waits whose deadline passed failed; the watch goes on", failure);
            }
        }
    }

    private void endPassedWaits() {
        for (Iterator<Waiting> waits = waiting.iterator(); waits.hasNext(); ) {
            Waiting wait = waits.next();
            if (wait.answer.isDone()) {
                waits.remove();
            } else if (wait.deadline.hasPassed()) {
                // Removed first, so that a completion that throws fails once, not at every tick.
                waits.remove();
                wait.answer.completeExceptionally(new TimeoutException());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
