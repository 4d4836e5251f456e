package dev.tally.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Where the rest of a request runs once its outcome is known. Every RPC but a deferred one (a usage,
 * a hold's placement or capture) has its outcome when the pipeline returns, and the rest runs at
 * once on the same thread (what it throws is thrown to the caller, as if there were no future). A
 * deferred outcome is completed by a thread that must not do the rest, a usage lane (it goes on to
 * its next group and never runs a request's JDBC) or the deadline's timer: the rest runs on the
 * executor named. An executor shut down refuses the rest: the stage fails with its
 * RejectedExecutionException, which {@link ErrorResponses#classify} answers as UNAVAILABLE.
 */
final class Continuations {
    private Continuations() {}

    static <T, U> CompletableFuture<U> then(CompletableFuture<T> outcome, Function<? super T, ? extends U> next,
                                            Executor later) {
        if (outcome.isDone()) {
            return CompletableFuture.completedFuture(next.apply(outcome.join()));
        }
        return outcome.thenApplyAsync(next, later);
    }
}
