package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.auth.Authenticator;
import dev.tally.auth.Principal;
import dev.tally.auth.Secrets;
import dev.tally.common.TallyException;
import dev.tally.idempotency.IdempotencyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;

import java.util.function.Supplier;

/**
 * One REST route of an RPC: authenticates, binds the request message, calls the RPC off the event
 * loop (it uses JDBC) and prints the response as protojson. A POST with an Idempotency-Key is run
 * once per key; later ones get the recorded reply.
 */
final class RestEndpoint<Q extends Message> implements HttpService {
    /** An RPC as the adapters see it. */
    @FunctionalInterface
    interface Rpc<Q extends Message> {
        Message call(Principal principal, Q request);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RestEndpoint.class);

    private final Authenticator authenticator;
    private final IdempotencyService idempotency;
    private final Supplier<Message.Builder> newRequest;
    private final RequestBinder.BodyShape bodyShape;
    private final Rpc<Q> rpc;
    private final boolean replayable;

    /**
     * @param replayable whether an Idempotency-Key may record this RPC's answer for replay; false for
     *                   an answer that must never be stored (a credential's secret)
     */
    RestEndpoint(Authenticator authenticator, IdempotencyService idempotency, Supplier<Message.Builder> newRequest,
                 RequestBinder.BodyShape bodyShape, Rpc<Q> rpc, boolean replayable) {
        this.authenticator = authenticator;
        this.idempotency = idempotency;
        this.newRequest = newRequest;
        this.bodyShape = bodyShape;
        this.rpc = rpc;
        this.replayable = replayable;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.of(req.aggregate().thenApplyAsync(aggregated -> respond(ctx, aggregated),
                ctx.blockingTaskExecutor()));
    }

    private HttpResponse respond(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        Principal principal;
        try {
            principal = authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        } catch (RuntimeException failure) {
            return ErrorResponses.of(failure);
        }
        String key = request.headers().get(IdempotencyService.HEADER);
        if (key == null || request.method() != HttpMethod.POST) {
            return call(ctx, request, principal, Optional.empty()).toHttpResponse();
        }
        if (!replayable) {
            // A stored answer would be the secret in plain text; the caller retries without a key.
            return ErrorResponses.of(TallyException.invalidArgument(IdempotencyService.HEADER
                    + " is not accepted here: the answer holds a secret, which is never stored"));
        }
        IdempotencyService.Holder holder;
        try {
            IdempotencyService.Claim claim = idempotency.claim(principal.auditName(), key, requestSha256(request));
            if (claim instanceof IdempotencyService.Replay replay) {
                return new JsonReply(replay.status(), replay.body()).toReplayedHttpResponse();
            }
            holder = (IdempotencyService.Holder) claim;
        } catch (RuntimeException failure) {
            return ErrorResponses.of(failure);
        }
        JsonReply reply = call(ctx, request, principal, IdempotentIds.of(principal, key));
        try {
            idempotency.complete(principal.auditName(), key, holder, reply.status(), reply.body());
        } catch (RuntimeException failure) {
            // The request itself was served; a retry will find the key in flight and, after the
            // lease, run again, which the ledger's own ids make safe.
            LOG.warn("Could not record the response of an idempotent request", failure);
        }
        return reply.toHttpResponse();
    }

    @SuppressWarnings("unchecked")
    private JsonReply call(ServiceRequestContext ctx, AggregatedHttpRequest request, Principal principal,
                           Optional<UUID> idFromKey) {
        try {
            Message.Builder builder = RequestBinder.bind(newRequest.get(), bodyShape, request.contentUtf8(),
                    ctx.queryParams(), ctx.pathParams());
            idFromKey.ifPresent(id -> IdempotentIds.fillMissingId(builder, id));
            Message response = rpc.call(principal, (Q) builder.build());
            return new JsonReply(200, ProtoJson.print(response));
        } catch (RuntimeException failure) {
            return ErrorResponses.reply(failure);
        }
    }

    /** What makes two requests "the same" for an Idempotency-Key: method, path with query, and body. */
    private static String requestSha256(AggregatedHttpRequest request) {
        return Secrets.sha256Hex(request.method() + " " + request.path() + "\n" + request.contentUtf8());
    }
}
