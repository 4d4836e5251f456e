package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.auth.Authenticator;
import dev.tally.auth.Principal;

import java.util.function.Supplier;

/**
 * One REST route of an RPC: authenticates, binds the request message, calls the RPC off the event
 * loop (it uses JDBC) and prints the response as protojson.
 */
final class RestEndpoint<Q extends Message> implements HttpService {
    /** An RPC as the adapters see it. */
    @FunctionalInterface
    interface Rpc<Q extends Message> {
        Message call(Principal principal, Q request);
    }

    private final Authenticator authenticator;
    private final Supplier<Message.Builder> newRequest;
    private final RequestBinder.BodyShape bodyShape;
    private final Rpc<Q> rpc;

    RestEndpoint(Authenticator authenticator, Supplier<Message.Builder> newRequest, RequestBinder.BodyShape bodyShape,
                 Rpc<Q> rpc) {
        this.authenticator = authenticator;
        this.newRequest = newRequest;
        this.bodyShape = bodyShape;
        this.rpc = rpc;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenApplyAsync(aggregated -> respond(ctx, aggregated),
                ctx.blockingTaskExecutor()));
    }

    @SuppressWarnings("unchecked")
    private HttpResponse respond(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        try {
            Principal principal = authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION));
            Message.Builder builder = RequestBinder.bind(newRequest.get(), bodyShape, request.contentUtf8(),
                    ctx.queryParams(), ctx.pathParams());
            Message response = rpc.call(principal, (Q) builder.build());
            return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, ProtoJson.print(response));
        } catch (RuntimeException failure) {
            return ErrorResponses.of(failure);
        }
    }
}
