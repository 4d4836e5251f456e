package dev.tally.billing.holds;

import dev.tally.testing.AccountRowLock;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hold's placement or capture that finds its lane full is refused at once (503, retry) in the
 * error shape, as a usage is: it is refused on the thread that read it, not after a wait.
 */
class HoldLaneFullTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** One request may wait per lane. */
    @RegisterExtension
    static final TallyServer SERVER = TallyServer.withWriteLimits(1, REQUEST_TIMEOUT);

    @Test
    void aPlacementOrCaptureThatFindsItsLaneFullIsRefusedAtOnce() throws Exception {
        HoldClient holds = HoldClient.funded(SERVER, 1_000);
        String captured = UUID.randomUUID().toString();
        assertThat(holds.create(captured, 10).status()).isEqualTo(200);
        CompletableFuture<Reply> committing;
        CompletableFuture<Reply> queued;
        // Not the common pool: on two cores it runs one task at a time, and the first waits.
        ExecutorService callers = Executors.newFixedThreadPool(2);
        AccountRowLock lock = new AccountRowLock(SERVER.tally().database(), UUID.fromString(holds.account()));
        try {
            // The first placement's group waits for the lock (the pause lets its lane take it); the
            // second fills the lane's queue.
            committing = CompletableFuture.supplyAsync(() -> holds.create(UUID.randomUUID().toString(), 10), callers);
            Thread.sleep(300);
            queued = CompletableFuture.supplyAsync(() -> holds.create(UUID.randomUUID().toString(), 10), callers);
            awaitQueued(1, queued);

            long startNanos = System.nanoTime();
            Reply placement = holds.create(UUID.randomUUID().toString(), 10);
            Reply capture = holds.capture(captured, null);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

            assertThat(assertError(placement, 503, 14)).contains("too many usage requests are waiting; retry");
            assertThat(assertError(capture, 503, 14)).contains("too many usage requests are waiting; retry");
            assertThat(elapsed).isLessThan(Duration.ofSeconds(2));
        } finally {
            lock.release();
            callers.shutdown();
        }
        assertThat(committing.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(queued.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        // The refused capture left the hold live: it can still be captured, once.
        assertThat(holds.capture(captured, null).status()).isEqualTo(200);
        assertThat(holds.available()).isEqualTo(1_000 - 10 - 20);
    }

    private static void awaitQueued(int requests, CompletableFuture<Reply> call) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (SERVER.tally().usageWriter().queuedRequests() < requests) {
            assertThat(call).as("a request waiting in its lane").isNotDone();
            assertThat(System.nanoTime()).as("the request reaches its lane").isLessThan(deadlineNanos);
            Thread.sleep(10);
        }
    }
}
