package dev.tally.api;

import com.google.protobuf.Message;
import dev.tally.auth.Principal;
import io.grpc.MethodDescriptor;

import java.util.concurrent.CompletableFuture;

/**
 * One RPC as every transport sees it: its proto method (name, request and response types, from
 * the generated gRPC descriptor), the code that serves it, and whether it changes state (only
 * those honour {@code Idempotency-Key}).
 */
record RpcMethod<Q extends Message, R extends Message>(MethodDescriptor<Q, R> descriptor, Serving<Q> serving,
                                                       boolean changesState, boolean answerHoldsSecret) {
    /** What serves an RPC: proto in, proto out, failures as exceptions. */
    @FunctionalInterface
    interface Handler<Q extends Message, R extends Message> {
        R call(Principal principal, Q request);
    }

    /** What serves an RPC whose answer is more than a message (a page of history); its message is an R. */
    @FunctionalInterface
    interface Answering<Q extends Message> {
        Answer call(Principal principal, Q request);
    }

    /**
     * What serves an RPC whose answer comes later from another thread (a usage, a hold's placement
     * or capture: its lane's commit), so that the thread that read the request does not wait for it. A refusal known at once is
     * thrown; one known later fails the future. The future must complete (a deadline of its own),
     * and whatever depends on it may run on the thread that completes it: keep that work small.
     */
    @FunctionalInterface
    interface Deferred<Q extends Message, R extends Message> {
        CompletableFuture<R> call(Principal principal, Q request);
    }

    /** What the pipeline runs: every kind above, as a future (already complete for all but deferred ones). */
    @FunctionalInterface
    interface Serving<Q extends Message> {
        CompletableFuture<Answer> call(Principal principal, Q request);
    }

    /** An RPC that answers its message. */
    static <Q extends Message, R extends Message> RpcMethod<Q, R> answeringMessages(MethodDescriptor<Q, R> descriptor,
            Handler<Q, R> handler, boolean changesState, boolean answerHoldsSecret) {
        return new RpcMethod<>(descriptor, (principal, request) ->
                CompletableFuture.completedFuture(Answer.of(handler.call(principal, request))),
                changesState, answerHoldsSecret);
    }

    /** An RPC whose answer writes its own JSON ({@link Answer}). */
    static <Q extends Message, R extends Message> RpcMethod<Q, R> answering(MethodDescriptor<Q, R> descriptor,
            Answering<Q> answering, boolean changesState) {
        return new RpcMethod<>(descriptor, (principal, request) ->
                CompletableFuture.completedFuture(answering.call(principal, request)), changesState, false);
    }

    /** An RPC that answers its message later ({@link Deferred}). */
    static <Q extends Message, R extends Message> RpcMethod<Q, R> deferring(MethodDescriptor<Q, R> descriptor,
            Deferred<Q, R> deferred, boolean changesState) {
        return new RpcMethod<>(descriptor, (principal, request) ->
                deferred.call(principal, request).thenApply(Answer::of), changesState, false);
    }

    /** {@code package.Service/Method}, as gRPC and Connect paths name it. */
    String fullName() {
        return descriptor.getFullMethodName();
    }

    Q requestPrototype() {
        return prototype(descriptor.getRequestMarshaller());
    }

    R responsePrototype() {
        return prototype(descriptor.getResponseMarshaller());
    }

    @SuppressWarnings("unchecked")
    private static <T> T prototype(MethodDescriptor.Marshaller<T> marshaller) {
        // protoc-gen-grpc-java always uses ProtoUtils marshallers, which know their prototype.
        return ((MethodDescriptor.PrototypeMarshaller<T>) marshaller).getMessagePrototype();
    }
}
