package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.auth.Authenticator;
import dev.tally.auth.Principal;
import dev.tally.common.TallyException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.function.BiFunction;

/**
 * Runs an RPC for the gRPC adapters: the same authentication and the same RPC classes as REST,
 * with failures as gRPC statuses carrying the same code numbers and messages.
 */
final class GrpcCalls {
    private final Authenticator authenticator;

    GrpcCalls(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    <Q extends Message, R extends Message> void unary(Q request, StreamObserver<R> observer,
                                                       BiFunction<Principal, Q, R> rpc) {
        R response;
        try {
            String authorization = ServiceRequestContext.current().request().headers()
                    .get(HttpHeaderNames.AUTHORIZATION);
            response = rpc.apply(authenticator.authenticate(authorization), request);
        } catch (RuntimeException failure) {
            observer.onError(status(failure).asRuntimeException());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    private static Status status(Throwable failure) {
        TallyException answer = ErrorResponses.classify(failure);
        return Status.fromCodeValue(answer.code().grpcCode()).withDescription(answer.getMessage());
    }
}
