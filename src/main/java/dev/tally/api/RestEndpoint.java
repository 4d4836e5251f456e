package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.idempotency.IdempotencyService;

import java.util.concurrent.CompletableFuture;

/**
 * One REST route of an RPC: binds the request message the way Frontier's gateway does and runs
 * it through the {@link RpcPipeline} off the event loop (it uses JDBC); answers protojson or the
 * one error shape. A deferred outcome (a usage, a hold's placement or capture) is rendered on the
 * event loop when it arrives: a small reply, written there anyway, and the blocking thread has long
 * been free for other requests.
 */
final class RestEndpoint<Q extends Message, R extends Message> implements HttpService {
    private final RpcPipeline pipeline;
    private final RpcMethod<Q, R> method;
    private final RequestBinder.BodyShape bodyShape;
    /** A GET whose message has only plain fields: bound by {@link QueryStringBinder}, same result, less work. */
    private final boolean bindsQueryDirectly;

    RestEndpoint(RpcPipeline pipeline, RpcMethod<Q, R> method, RequestBinder.BodyShape bodyShape) {
        this(pipeline, method, bodyShape, false);
    }

    private RestEndpoint(RpcPipeline pipeline, RpcMethod<Q, R> method, RequestBinder.BodyShape bodyShape,
                         boolean bindsQueryDirectly) {
        this.pipeline = pipeline;
        this.method = method;
        this.bodyShape = bodyShape;
        this.bindsQueryDirectly = bindsQueryDirectly;
    }

    /** A GET route bound by {@link QueryStringBinder}; its request message must have only fields that binder reads. */
    static <Q extends Message, R extends Message> RestEndpoint<Q, R> bindingQueryDirectly(RpcPipeline pipeline,
                                                                                       RpcMethod<Q, R> method) {
        if (!QueryStringBinder.supports(method.requestPrototype().getDescriptorForType())) {
            throw new IllegalArgumentException(method.requestPrototype().getDescriptorForType().getFullName()
                    + ": has a field QueryStringBinder does not read (expected: strings, integers, booleans, times)");
        }
        return new RestEndpoint<>(pipeline, method, RequestBinder.BodyShape.NONE, true);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenComposeAsync(aggregated -> respond(ctx, aggregated),
                ctx.blockingTaskExecutor()));
    }

    private CompletableFuture<HttpResponse> respond(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        CompletableFuture<RpcOutcome> outcome = pipeline.run(method,
                request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(IdempotencyService.HEADER),
                () -> bind(ctx, request), ctx.blockingTaskExecutor());
        return Continuations.then(outcome, RestEndpoint::render, ctx.eventLoop());
    }

    private static HttpResponse render(RpcOutcome outcome) {
        return switch (outcome) {
            case RpcOutcome.Answered answered -> JsonReply.ok(answered.answer().json());
            case RpcOutcome.Refused refused -> ErrorResponses.of(refused.error());
            case RpcOutcome.Replayed replayed -> new JsonReply(replayed.status(), replayed.json())
                    .toReplayedHttpResponse();
        };
    }

    @SuppressWarnings("unchecked")
    private Q bind(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        if (bindsQueryDirectly) {
            return (Q) QueryStringBinder.bind(method.requestPrototype(), ctx.queryParams(), ctx.pathParams());
        }
        return (Q) RequestBinder.bind(method.requestPrototype().newBuilderForType(), bodyShape, request.contentUtf8(),
                ctx.queryParams(), ctx.pathParams()).build();
    }
}
