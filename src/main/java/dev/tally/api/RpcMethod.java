package dev.tally.api;

import com.google.protobuf.Message;
import dev.tally.auth.Principal;
import io.grpc.MethodDescriptor;

/**
 * One RPC as every transport sees it: its proto method (name, request and response types, from
 * the generated gRPC descriptor), the code that serves it, and whether it changes state (only
 * those honour {@code Idempotency-Key}).
 */
record RpcMethod<Q extends Message, R extends Message>(MethodDescriptor<Q, R> descriptor, Handler<Q, R> handler,
                                                       boolean changesState, boolean answerHoldsSecret) {
    /** What serves an RPC: proto in, proto out, failures as exceptions. */
    @FunctionalInterface
    interface Handler<Q extends Message, R extends Message> {
        R call(Principal principal, Q request);
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
