package dev.tally.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.common.TallyException;
import dev.tally.idempotency.IdempotencyService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * FrontierService and AdminService for gRPC and gRPC-Web, built from the {@link RpcCatalog}: each
 * method runs the {@link RpcPipeline} and answers its outcome as a message or a status with the
 * same code number and message as every other transport. A replayed outcome carries the first
 * status and message, and the trailer {@code idempotent-replayed: true}.
 */
final class GrpcServices {
    static final String REPLAYED = "idempotent-replayed";
    private static final Metadata.Key<String> REPLAYED_KEY =
            Metadata.Key.of(REPLAYED, Metadata.ASCII_STRING_MARSHALLER);

    private final RpcPipeline pipeline;
    private final RpcCatalog catalog;

    GrpcServices(RpcPipeline pipeline, RpcCatalog catalog) {
        this.pipeline = pipeline;
        this.catalog = catalog;
    }

    /**
     * A request message that cannot be parsed is the caller's mistake: INVALID_ARGUMENT, where
     * grpc-java's marshaller says INTERNAL. Anything else keeps Armeria's mapping.
     */
    static Status failureStatus(RequestContext ctx, Status status, Throwable cause, Metadata metadata) {
        for (Throwable failure : new Throwable[] {cause, status.getCause()}) {
            for (Throwable c = failure; c != null; c = c.getCause()) {
                if (c instanceof InvalidProtocolBufferException) {
                    return Status.INVALID_ARGUMENT.withDescription("invalid request: not a valid protobuf message");
                }
            }
        }
        return null;
    }

    List<ServerServiceDefinition> definitions(ServiceDescriptor... services) {
        return List.of(services).stream().map(this::definition).toList();
    }

    private ServerServiceDefinition definition(ServiceDescriptor service) {
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service);
        for (MethodDescriptor<?, ?> descriptor : service.getMethods()) {
            bind(builder, descriptor);
        }
        return builder.build();
    }

    @SuppressWarnings("unchecked")
    private <Q extends Message, R extends Message> void bind(ServerServiceDefinition.Builder builder,
                                                            MethodDescriptor<?, ?> descriptor) {
        MethodDescriptor<Q, R> typed = (MethodDescriptor<Q, R>) descriptor;
        // A method of the proto that no one serves yet answers UNIMPLEMENTED rather than failing start-up.
        RpcMethod<Q, R> method = (RpcMethod<Q, R>) catalog.find(descriptor.getFullMethodName()).orElse(null);
        builder.addMethod(typed, ServerCalls.asyncUnaryCall((request, observer) -> {
            if (method == null) {
                observer.onError(Status.UNIMPLEMENTED.withDescription("not served by Tally").asRuntimeException());
                return;
            }
            serve(method, request, observer);
        }));
    }

    private <Q extends Message, R extends Message> void serve(RpcMethod<Q, R> method, Q request,
                                                             StreamObserver<R> observer) {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        RequestHeaders headers = ctx.request().headers();
        CompletableFuture<RpcOutcome> outcome = pipeline.run(method, headers.get(HttpHeaderNames.AUTHORIZATION),
                headers.get(IdempotencyService.HEADER), () -> request, ctx.blockingTaskExecutor());
        StreamObserver<R> call = new EndedOnce<>(observer);
        try {
            // A deferred outcome (a usage, a hold's placement or capture) is answered on the event
            // loop, where Armeria writes the call anyway.
            Continuations.then(outcome, done -> {
                answer(ctx, method, done, call);
                return null;
            }, ctx.eventLoop()).exceptionally(failure -> {
                fail(call, failure);
                return null;
            });
        } catch (RuntimeException failure) {
            // An outcome known at once is answered on this thread: what answering it threw ends the
            // call as a deferred one's would.
            fail(call, failure);
        }
    }

    /** Answering failed (a bug or a refused hand-off, logged by classify): the call still ends, once. */
    private static void fail(StreamObserver<?> call, Throwable failure) {
        TallyException error = ErrorResponses.classify(failure);
        call.onError(Status.fromCodeValue(error.code().grpcCode()).withDescription(error.getMessage())
                .asRuntimeException());
    }

    @SuppressWarnings("unchecked")
    private static <Q extends Message, R extends Message> void answer(ServiceRequestContext ctx,
            RpcMethod<Q, R> method, RpcOutcome outcome, StreamObserver<R> observer) {
        boolean replayed = outcome instanceof RpcOutcome.Replayed;
        if (outcome instanceof RpcOutcome.Replayed recorded) {
            outcome = recorded.decode(method.responsePrototype());
        }
        switch (outcome) {
            case RpcOutcome.Answered answered -> {
                if (replayed) {
                    ctx.mutateAdditionalResponseTrailers(trailers -> trailers.set(REPLAYED, "true"));
                }
                observer.onNext((R) answered.response());
                observer.onCompleted();
            }
            case RpcOutcome.Refused refused -> {
                Metadata trailers = new Metadata();
                if (replayed) {
                    trailers.put(REPLAYED_KEY, "true");
                }
                observer.onError(Status.fromCodeValue(refused.error().code().grpcCode())
                        .withDescription(refused.error().getMessage()).asRuntimeException(trailers));
            }
            case RpcOutcome.Replayed ignored -> throw new IllegalStateException("a replay is decoded above");
        }
    }

    /**
     * Ends a call's stream exactly once. Answering may throw after the stream was ended (the
     * transport failing in {@code onCompleted}); that failure is logged by {@link #fail}, and a
     * second end, which the call would refuse or send as a second status, is dropped.
     */
    private static final class EndedOnce<R> implements StreamObserver<R> {
        private final StreamObserver<R> observer;
        private final AtomicBoolean ended = new AtomicBoolean();

        EndedOnce(StreamObserver<R> observer) {
            this.observer = observer;
        }

        @Override
        public void onNext(R response) {
            observer.onNext(response);
        }

        @Override
        public void onError(Throwable failure) {
            if (ended.compareAndSet(false, true)) {
                observer.onError(failure);
            }
        }

        @Override
        public void onCompleted() {
            if (ended.compareAndSet(false, true)) {
                observer.onCompleted();
            }
        }
    }
}
