package dev.tally.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real concurrency for tests: calls on many threads that wait at one gate and are released at once,
 * so that they overlap however slow the machine is at starting threads. The tests of races use this
 * one helper rather than each its own pool and latches.
 */
public final class Together {
    /** One thread's work; it may throw, and the exception fails the run. */
    @FunctionalInterface
    public interface Call<T> {
        T call(int thread) throws Exception;
    }

    private Together() {}

    /** Runs {@code call} on {@code threads} threads released together; returns the results by thread index. */
    public static <T> List<T> run(int threads, Call<T> call) throws Exception {
        List<Callable<T>> calls = new ArrayList<>();
        for (int thread = 0; thread < threads; thread++) {
            int index = thread;
            calls.add(() -> call.call(index));
        }
        return all(calls);
    }

    /** Runs each of {@code calls} on a thread of its own, released together; returns the results in order. */
    public static <T> List<T> all(List<? extends Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch ready = new CountDownLatch(calls.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads at the gate").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
