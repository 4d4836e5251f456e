package dev.tally.billing.ledger;

import dev.tally.common.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch's promise that outlives its own failures: a later request whose deadline passes still
 * gets its TimeoutException (Tally's 503), whatever ending an earlier wait threw.
 */
class DeadlineWatchTest {

    @Test
    void aWaitWhoseEndingThrowsLeavesTheWatchAnsweringLaterDeadlines() throws Exception {
        try (DeadlineWatch watch = new DeadlineWatch()) {
            ThrowingOutcome throwing = new ThrowingOutcome();
            watch.answerByDeadline(passedRequest(throwing));
            assertThat(throwing.endingAttempted.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<UsageOutcome> later = watch.answerByDeadline(passedRequest(new CompletableFuture<>()));

            assertThat(later).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(TimeoutException.class);
        }
    }

    private static UsageRequest passedRequest(CompletableFuture<UsageOutcome> outcome) {
        return new UsageRequest(UUID.randomUUID(), List.of(), "test", new Deadline(System.nanoTime()), outcome);
    }

    /**
     * An outcome whose stages throw an Error when the watch ends them. A plain CompletableFuture
     * never does (it catches what its dependent stages throw), so this stands for what no test can
     * provoke at will: an Error of the JVM's own on the watch's thread.
     */
    private static final class ThrowingOutcome extends CompletableFuture<UsageOutcome> {
        final CountDownLatch endingAttempted = new CountDownLatch(1);

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            ThrowingOutcome outer = this;
            return new CompletableFuture<>() {
                @Override
                public boolean completeExceptionally(Throwable failure) {
                    outer.endingAttempted.countDown();
                    throw new Error("ending this wait fails (test)");
                }
            };
        }
    }
}
