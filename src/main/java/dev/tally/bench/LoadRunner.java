package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Drives requests with a fixed number of concurrent clients. Closed loop: each client sends its
 * next request when the last one answered. Fixed rate: each client has a schedule, and latency is
 * measured from the time a request was due, so a stalled server shows up in the percentiles
 * instead of silently lowering the rate (no coordinated omission).
 */
final class LoadRunner {
    private static final long LATENCY_MAX_MICROS = TimeUnit.MINUTES.toMicros(5);
    /** Runs each client's next step; virtual threads, so a client waiting for its due time costs nothing. */
    private static final ExecutorService STEPS = Executors.newVirtualThreadPerTaskExecutor();

    private LoadRunner() {}

    /**
     * @param ratePerSecond total target rate across all clients; 0 runs closed loop
     * @param request       starts one request; called from many threads
     */
    static LoadResult run(String name, int clients, Duration duration, double ratePerSecond, long unitsPerRequest,
                          Supplier<CompletableFuture<AggregatedHttpResponse>> request) throws InterruptedException {
        Histogram latency = new Histogram(LATENCY_MAX_MICROS, 3);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        LongAdder transportErrors = new LongAdder();
        AtomicLong completed = new AtomicLong();
        long startNanos = System.nanoTime();
        long endNanos = startNanos + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        long intervalNanos = ratePerSecond > 0 ? (long) (1e9 * clients / ratePerSecond) : 0;
        for (int client = 0; client < clients; client++) {
            long firstDue = startNanos + (intervalNanos > 0 ? intervalNanos * client / clients : 0);
            new Client(request, latency, statuses, transportErrors, completed, endNanos, intervalNanos, done)
                    .next(firstDue);
        }
        done.await();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new LoadResult(name, completed.get(), unitsPerRequest, seconds, latency, statuses,
                transportErrors.sum());
    }

    private record Client(Supplier<CompletableFuture<AggregatedHttpResponse>> request, Histogram latency,
                          Map<Integer, Long> statuses, LongAdder transportErrors, AtomicLong completed,
                          long endNanos, long intervalNanos, CountDownLatch done) {

        void next(long dueNanos) {
            long now = System.nanoTime();
            if (dueNanos >= endNanos || now >= endNanos) {
                done.countDown();
                return;
            }
            if (dueNanos > now) {
                sleepNanos(dueNanos - now);
            }
            long measuredFrom = intervalNanos > 0 ? dueNanos : System.nanoTime();
            request.get().whenComplete((response, failure) -> {
                long micros = Math.max(0, (System.nanoTime() - measuredFrom) / 1000);
                synchronized (latency) {
                    latency.recordValue(Math.min(micros, LATENCY_MAX_MICROS));
                }
                if (failure != null) {
                    transportErrors.increment();
                } else {
                    statuses.merge(response.status().code(), 1L, Long::sum);
                }
                completed.incrementAndGet();
                long nextDue = intervalNanos > 0 ? dueNanos + intervalNanos : System.nanoTime();
                // Continue on another thread so that the event loop that completed this request is not blocked.
                STEPS.execute(() -> next(nextDue));
            });
        }

        private static void sleepNanos(long nanos) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
