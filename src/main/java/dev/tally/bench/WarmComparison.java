package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Two phases of one workload measured for their ratio (10 grants against 1, the firehose against
 * none), both warm: first a warm-up of each (unmeasured, in order), then each measured (in the same
 * order), so the runs go A, B, A, B and the second pair is the result. Measured one after the other
 * with one warm-up each, the first phase ran while the JIT was still compiling what the second then
 * found ready, and the ratio compared cold with warm.
 */
final class WarmComparison {

    /** What makes the server ready for a phase (a webhook subscribed, or gone); run before each of its runs. */
    @FunctionalInterface
    interface Setup {
        Setup NONE = () -> { };

        void enter() throws Exception;
    }

    /** One side of the comparison. */
    record Phase(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request, Setup setup) {
        Phase(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request) {
            this(name, request, Setup.NONE);
        }
    }

    /** How the bench runs a phase: unmeasured, or measured (with the server's CPU per request). */
    interface Runner {
        void warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                throws InterruptedException;

        LoadResult measure(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                throws InterruptedException;
    }

    /** Both measured runs; {@link #ratio} is second / first in requests per second. */
    record Result(LoadResult first, LoadResult second) {
        double ratio() {
            return first.requestsPerSecond() > 0 ? second.requestsPerSecond() / first.requestsPerSecond() : 0;
        }
    }

    private WarmComparison() {}

    static Result run(Runner runner, Phase first, Phase second) throws Exception {
        for (Phase phase : List.of(first, second)) {
            phase.setup().enter();
            runner.warmUp(phase.name(), phase.request());
        }
        first.setup().enter();
        LoadResult firstResult = runner.measure(first.name(), first.request());
        second.setup().enter();
        LoadResult secondResult = runner.measure(second.name(), second.request());
        return new Result(firstResult, secondResult);
    }
}
