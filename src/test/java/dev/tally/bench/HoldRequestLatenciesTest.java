package dev.tally.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The hold phase's per-kind latencies: each request kind in its own histogram, the warm-up in none. */
class HoldRequestLatenciesTest {

    @Test
    void createsAndCapturesAreCountedApartAndTheWarmUpRecordsNothing() {
        HoldRequestLatencies measured = new HoldRequestLatencies();
        measured.timeCreate(() -> CompletableFuture.completedFuture("created")).join();
        measured.timeCreate(() -> CompletableFuture.completedFuture("created")).join();
        measured.timeCapture(() -> CompletableFuture.completedFuture("captured")).join();
        HoldRequestLatencies.NONE.timeCreate(() -> CompletableFuture.completedFuture("warm-up")).join();

        String[] lines = measured.describe().split(System.lineSeparator());
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("create ").contains(" 2 req, latency ms p50");
        assertThat(lines[1]).contains("capture").contains(" 1 req, latency ms p50").contains("p99").contains("max");
        assertThat(HoldRequestLatencies.NONE.describe()).contains("create         0 req");
    }
}
