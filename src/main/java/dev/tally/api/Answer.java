package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpData;

/**
 * What an RPC answers, in the two forms transports send: the response message (gRPC, Connect's
 * binary encodings) and its protojson in UTF-8 (REST, Connect JSON). Most RPCs answer a message
 * and its JSON is printed from it ({@link OfMessage}); a page of history writes its JSON straight
 * from the ledger's entries and builds the message only for a transport that asks for it
 * ({@link TransactionPageAnswer}). Both forms must say the same.
 */
interface Answer {
    Message message();

    /** The bytes of {@code ProtoJson.printUtf8(message())}, as the reply sends them. */
    HttpData json();

    static Answer of(Message message) {
        return new OfMessage(message);
    }

    record OfMessage(Message message) implements Answer {
        @Override
        public HttpData json() {
            return HttpData.wrap(ProtoJson.printUtf8(message));
        }
    }
}
