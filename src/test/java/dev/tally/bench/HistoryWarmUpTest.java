package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The history workload's warm-up of a request kind follows --warmup-seconds, in runs of it. */
class HistoryWarmUpTest {

    /** Phases whose warm-up runs each answer {@code requestsPerRun} requests at once, and are counted. */
    private static int runs(int warmUpSeconds, long requestsPerRun) throws InterruptedException {
        HistoryWorkload.Phases phases = new HistoryWorkload.Phases() {
            @Override
            public HistoryWorkload.Measured measure(String name,
                                                    Supplier<CompletableFuture<AggregatedHttpResponse>> request) {
                throw new AssertionError("a warm-up measures nothing");
            }

            @Override
            public LoadResult warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request) {
                return new LoadResult(name, requestsPerRun, 1, warmUpSeconds, new Histogram(3), Map.of(), 0);
            }

            @Override
            public int warmUpSeconds() {
                return warmUpSeconds;
            }
        };
        return new HistoryWorkload(null, phases, "http://127.0.0.1:1/", "", 0, null).warmUp("page", () -> null);
    }

    @Test
    void theDocumentedFiveSecondsStillWarmEachKindForThirtySecondsAndTwentyThousandRequests() throws Exception {
        assertThat(runs(5, 10_000)).isEqualTo(6);
        assertThat(runs(5, 2_000)).isEqualTo(10);
        assertThat(runs(5, 10)).as("a starved server: at most 2 minutes").isEqualTo(24);
    }

    @Test
    void aShorterWarmUpSecondsWarmsForLess() throws Exception {
        assertThat(runs(2, 10_000)).as("12 s, 8,000 requests").isEqualTo(6);
        assertThat(runs(2, 1_000)).isEqualTo(8);
    }

    @Test
    void noWarmUpSecondsWarmsNothing() throws Exception {
        assertThat(runs(0, 10_000)).isZero();
    }
}
