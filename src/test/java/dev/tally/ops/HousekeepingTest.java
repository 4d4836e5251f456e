package dev.tally.ops;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HousekeepingTest {
    @Test
    void theAccessLogIsFlushedWhileAPurgeIsStillRunning() throws InterruptedException {
        CountDownLatch purgeStarted = new CountDownLatch(1);
        CountDownLatch purgeMayEnd = new CountDownLatch(1);
        CountDownLatch flushesDuringPurge = new CountDownLatch(3);
        try (Housekeeping housekeeping = new Housekeeping()) {
            housekeeping.purgeEvery(Duration.ZERO, Duration.ofHours(1), () -> {
                purgeStarted.countDown();
                awaitQuietly(purgeMayEnd);
            });
            assertThat(purgeStarted.await(30, TimeUnit.SECONDS)).isTrue();
            housekeeping.flushEvery100Millis(flushesDuringPurge::countDown);

            // Generous for a loaded machine; on one shared thread no flush would come at all.
            assertThat(flushesDuringPurge.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(purgeMayEnd.getCount()).as("the purge is still running").isEqualTo(1);
            purgeMayEnd.countDown();
        }
    }

    @Test
    void aFailedFlushDoesNotStopTheLaterOnes() throws InterruptedException {
        CountDownLatch flushes = new CountDownLatch(3);
        try (Housekeeping housekeeping = new Housekeeping()) {
            housekeeping.flushEvery100Millis(() -> {
                flushes.countDown();
                throw new java.io.IOException("standard output is closed");
            });

            assertThat(flushes.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
