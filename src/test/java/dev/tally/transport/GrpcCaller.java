package dev.tally.transport;

import com.google.protobuf.Message;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.common.ErrorCode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** gRPC (HTTP/2) or gRPC-Web (HTTP/1.1) through Armeria's gRPC client. */
final class GrpcCaller implements Transport.Caller {
    private static final Metadata.Key<String> REPLAYED =
            Metadata.Key.of("idempotent-replayed", Metadata.ASCII_STRING_MARSHALLER);

    private final boolean web;

    GrpcCaller(boolean web) {
        this.web = web;
    }

    @Override
    public <Q extends Message, R extends Message> Outcome call(URI base, MethodDescriptor<Q, R> method, Q request,
                                                                Map<String, String> headers) {
        String uri = (web ? "h1c://" : "h2c://") + base.getHost() + ":" + base.getPort();
        Channel channel = GrpcClients.builder(uri)
                .serializationFormat(web ? GrpcSerializationFormats.PROTO_WEB : GrpcSerializationFormats.PROTO)
                .build(FrontierServiceGrpc.FrontierServiceBlockingStub.class)
                .getChannel();
        Metadata sent = new Metadata();
        headers.forEach((name, value) -> sent.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        Channel intercepted = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(sent),
                MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers));
        try {
            R response = ClientCalls.blockingUnaryCall(intercepted, method, CallOptions.DEFAULT, request);
            return Outcome.answered(response, 200, replayed(trailers.get()));
        } catch (StatusRuntimeException failure) {
            ErrorCode code = ErrorCode.fromGrpcCode(failure.getStatus().getCode().value())
                    .orElseThrow(() -> new AssertionError("a code Tally does not use: " + failure.getStatus()));
            Metadata failureTrailers = failure.getTrailers() != null ? failure.getTrailers() : trailers.get();
            return Outcome.refused(code, String.valueOf(failure.getStatus().getDescription()), 200,
                    replayed(failureTrailers), failure.getStatus().toString());
        }
    }

    private static boolean replayed(Metadata trailers) {
        return trailers != null && "true".equals(trailers.get(REPLAYED));
    }
}
