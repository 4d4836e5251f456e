package dev.tally.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The latency of each request kind of the hold phase, create and capture, beside LoadRunner's
 * per-unit latency (a unit is the two in sequence). DESIGN §9 states p99 per request, so the
 * phase prints both: the unit's p99 is roughly the sum of two requests' tails.
 */
final class HoldRequestLatencies {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(5);
    /**
     * Records nothing: for the unmeasured warm-up. Its histograms only ever report "0 req", so they
     * are auto-resizing ones that never grow, not two preallocated 5-minute ranges kept for nothing.
     */
    static final HoldRequestLatencies NONE = new HoldRequestLatencies(new Histogram(3), new Histogram(3));
    private final Histogram create;
    private final Histogram capture;

    HoldRequestLatencies() {
        this(new Histogram(MAX_MICROS, 3), new Histogram(MAX_MICROS, 3));
    }

    private HoldRequestLatencies(Histogram create, Histogram capture) {
        this.create = create;
        this.capture = capture;
    }

    <T> CompletableFuture<T> timeCreate(Supplier<CompletableFuture<T>> request) {
        return timed(create, request);
    }

    <T> CompletableFuture<T> timeCapture(Supplier<CompletableFuture<T>> request) {
        return timed(capture, request);
    }

    private <T> CompletableFuture<T> timed(Histogram histogram, Supplier<CompletableFuture<T>> request) {
        if (this == NONE) {
            return request.get();
        }
        long start = System.nanoTime();
        return request.get().whenComplete((reply, failure) -> {
            long micros = Math.min(MAX_MICROS, Math.max(0, (System.nanoTime() - start) / 1000));
            synchronized (histogram) {
                histogram.recordValue(micros);
            }
        });
    }

    /** Two lines, create then capture, in LoadResult's latency format. */
    String describe() {
        return line("create", create) + System.lineSeparator() + line("capture", capture);
    }

    private static String line(String kind, Histogram histogram) {
        synchronized (histogram) {
            return String.format("%34s %-7s %8d req, latency ms p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", "", kind,
                    histogram.getTotalCount(), millis(histogram, 50), millis(histogram, 90), millis(histogram, 99),
                    histogram.getMaxValue() / 1000.0);
        }
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
