package dev.tally.transport;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;

import java.net.URI;
import java.util.Map;

/**
 * A way to call one of Tally's RPCs from a test, as a client of that transport would: the same
 * request message and headers, the outcome read back in transport-neutral terms.
 */
enum Transport {
    REST(new RestCaller()),
    GRPC(new GrpcCaller(false)),
    GRPC_WEB(new GrpcCaller(true)),
    CONNECT_JSON_HTTP1(new ConnectCaller(false, false)),
    CONNECT_PROTO_H2C(new ConnectCaller(true, true));

    /** Sends one unary call. */
    interface Caller {
        <Q extends Message, R extends Message> Outcome call(URI base, MethodDescriptor<Q, R> method, Q request,
                                                             Map<String, String> headers);
    }

    private final Caller caller;

    Transport(Caller caller) {
        this.caller = caller;
    }

    <Q extends Message, R extends Message> Outcome call(URI base, MethodDescriptor<Q, R> method, Q request,
                                                         Map<String, String> headers) {
        return caller.call(base, method, request, headers);
    }

    /** Whether the transport reports an error in the HTTP status (gRPC answers 200 and a grpc-status). */
    boolean hasHttpErrorStatus() {
        return this == REST || this == CONNECT_JSON_HTTP1 || this == CONNECT_PROTO_H2C;
    }
}
