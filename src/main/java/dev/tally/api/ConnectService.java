package dev.tally.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import dev.tally.idempotency.IdempotencyService;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connect unary calls (and Armeria's older unframed form) at {@code /<package.Service>/<Method>}:
 * JSON or binary protobuf, optionally gzip-compressed, over HTTP/1.1 or HTTP/2, each run through
 * the {@link RpcPipeline} like every other transport. Errors are Connect's error JSON for Connect
 * callers, and the one REST error shape for unframed callers (who send neither
 * {@code Connect-Protocol-Version} nor {@code application/proto}).
 */
final class ConnectService implements HttpService {
    private static final String PROTOCOL_VERSION = "connect-protocol-version";
    private static final String TIMEOUT = "connect-timeout-ms";

    private final RpcPipeline pipeline;
    private final RpcCatalog catalog;
    private final int requestLengthMaxBytes;

    ConnectService(RpcPipeline pipeline, RpcCatalog catalog, int requestLengthMaxBytes) {
        this.pipeline = pipeline;
        this.catalog = catalog;
        this.requestLengthMaxBytes = requestLengthMaxBytes;
    }

    /** Whether a request is for this adapter rather than gRPC or gRPC-Web. */
    static boolean accepts(RequestHeaders headers) {
        // application/grpc, application/grpc+proto, application/grpc-web+proto, …
        return headers.contentType() == null || !headers.contentType().subtype().startsWith("grpc");
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        RequestHeaders headers = req.headers();
        Optional<ConnectEncoding> encoding = ConnectEncoding.of(headers.contentType());
        boolean connect = headers.contains(PROTOCOL_VERSION) || encoding.map(ConnectEncoding::connectOnly).orElse(true);
        Errors errors = new Errors(connect);
        if (encoding.isEmpty()) {
            return errors.of(new TallyException(ErrorCode.INVALID_ARGUMENT,
                    "Content-Type: expected application/json or application/proto"), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        }
        String version = headers.get(PROTOCOL_VERSION);
        if (version != null && !version.equals("1")) {
            return errors.of(TallyException.invalidArgument(
                    "Connect-Protocol-Version: " + version + " (expected: 1)"), null);
        }
        Optional<Duration> timeout;
        try {
            timeout = timeout(headers.get(TIMEOUT));
        } catch (TallyException refused) {
            return errors.of(refused, null);
        }
        Optional<RpcMethod<?, ?>> method = catalog.find(ctx.mappedPath().substring(1));
        if (method.isEmpty()) {
            return errors.of(new TallyException(ErrorCode.UNIMPLEMENTED, "not served by Tally"), null);
        }
        // Named as gRPC names its calls, so metrics and the access log show one RPC name on every transport.
        ctx.logBuilder().name(method.get().descriptor().getServiceName(), method.get().descriptor().getBareMethodName());
        // A caller may shorten the server's own request timeout, never lengthen it.
        long serverTimeoutMillis = ctx.requestTimeoutMillis();
        timeout = timeout.map(t -> serverTimeoutMillis > 0 && t.toMillis() > serverTimeoutMillis
                ? Duration.ofMillis(serverTimeoutMillis) : t);
        long deadlineNanos = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        CompletableFuture<HttpResponse> response = req.aggregate().thenComposeAsync(aggregated ->
                respond(ctx, method.get(), aggregated, encoding.get(), errors, deadlineNanos),
                ctx.blockingTaskExecutor());
        if (timeout.isPresent()) {
            // Armeria's own request timeout must not answer first, in its own words.
            ctx.setRequestTimeout(TimeoutMode.SET_FROM_NOW, timeout.get().plusSeconds(1));
            response = response.completeOnTimeout(ConnectErrors.deadlineExceeded(), timeout.get().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return HttpResponse.of(response);
    }

    /**
     * Runs the call; a deferred outcome (a usage, a hold's placement or capture) is rendered on the
     * event loop, which writes it anyway.
     */
    private <Q extends Message, R extends Message> CompletableFuture<HttpResponse> respond(ServiceRequestContext ctx,
            RpcMethod<Q, R> method, AggregatedHttpRequest request, ConnectEncoding encoding, Errors errors,
            long deadlineNanos) {
        if (System.nanoTime() > deadlineNanos) {
            // queued past the deadline: the call is not started
            return CompletableFuture.completedFuture(ConnectErrors.deadlineExceeded());
        }
        byte[] body;
        try {
            body = Gzip.decode(request.headers().get(HttpHeaderNames.CONTENT_ENCODING), request.content().array(),
                    requestLengthMaxBytes);
        } catch (TallyException refused) {
            return CompletableFuture.completedFuture(errors.of(refused, null));
        }
        CompletableFuture<RpcOutcome> outcome = pipeline.run(method,
                request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(IdempotencyService.HEADER),
                () -> parse(method, encoding, body), ctx.blockingTaskExecutor());
        boolean acceptsGzip = Gzip.accepted(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        return Continuations.then(outcome, done -> render(method, done, encoding, errors, acceptsGzip),
                ctx.eventLoop());
    }

    private static <Q extends Message, R extends Message> HttpResponse render(RpcMethod<Q, R> method,
            RpcOutcome outcome, ConnectEncoding encoding, Errors errors, boolean acceptsGzip) {
        return switch (outcome) {
            case RpcOutcome.Answered answered -> success(encoding, encoding.write(answered.answer()), acceptsGzip,
                    false);
            case RpcOutcome.Refused refused -> errors.of(refused.error(), null);
            case RpcOutcome.Replayed replayed -> replayed.status() == 200 && encoding.isJson()
                    ? success(encoding, HttpData.wrap(replayed.json().getBytes(StandardCharsets.UTF_8)), acceptsGzip,
                            true)
                    : switch (replayed.decode(method.responsePrototype())) {
                        case RpcOutcome.Answered answered -> success(encoding, encoding.write(answered.answer()),
                                acceptsGzip, true);
                        case RpcOutcome.Refused refused -> errors.replayed(refused.error());
                        case RpcOutcome.Replayed ignored -> throw new IllegalStateException("decoded above");
                    };
        };
    }

    @SuppressWarnings("unchecked")
    private static <Q extends Message> Q parse(RpcMethod<Q, ?> method, ConnectEncoding encoding, byte[] body) {
        Message.Builder builder = method.requestPrototype().newBuilderForType();
        if (encoding.isJson()) {
            RequestBinder.bind(builder, RequestBinder.BodyShape.WHOLE, new String(body, StandardCharsets.UTF_8),
                    QueryParams.of(), Map.of());
        } else {
            try {
                builder.mergeFrom(body);
            } catch (InvalidProtocolBufferException e) {
                throw TallyException.invalidArgument("invalid request: not a valid protobuf message");
            }
        }
        return (Q) builder.build();
    }

    private static HttpResponse success(ConnectEncoding encoding, HttpData body, boolean acceptsGzip,
                                        boolean replayed) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(HttpStatus.OK).contentType(encoding.mediaType());
        if (replayed) {
            headers.set("Idempotent-Replayed", "true");
        }
        if (acceptsGzip && body.length() >= Gzip.WORTH_IT_BYTES) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
            body = HttpData.wrap(Gzip.encode(body.array()));
        }
        return HttpResponse.of(headers.build(), body);
    }

    /** Connect-Timeout-Ms: a positive integer of at most 10 digits (the Connect protocol). */
    private static Optional<Duration> timeout(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (!header.matches("[0-9]{1,10}") || Long.parseLong(header) == 0) {
            throw TallyException.invalidArgument(
                    "Connect-Timeout-Ms: " + header + " (expected: a positive integer of at most 10 digits)");
        }
        return Optional.of(Duration.ofMillis(Long.parseLong(header)));
    }

    /** How this caller is told of an error: Connect's JSON, or the one REST shape for unframed callers. */
    private record Errors(boolean connect) {
        HttpResponse of(TallyException error, HttpStatus statusOverride) {
            if (!connect) {
                return statusOverride == null ? ErrorResponses.of(error)
                        : ErrorResponses.of(statusOverride, error.code(), error.getMessage());
            }
            if (statusOverride != null) {
                return ConnectErrors.of(error.code(), error.getMessage(), false)
                        .mapHeaders(headers -> headers.toBuilder().status(statusOverride).build());
            }
            return ConnectErrors.of(error.code(), error.getMessage(), false);
        }

        HttpResponse replayed(TallyException error) {
            return connect ? ConnectErrors.of(error.code(), error.getMessage(), true)
                    : new JsonReply(error.code().httpStatus(), ErrorResponses.body(error.code(), error.getMessage()))
                            .toReplayedHttpResponse();
        }
    }
}
