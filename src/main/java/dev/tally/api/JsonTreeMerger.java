package dev.tally.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import org.curioswitch.common.protobuf.json.MessageMarshaller;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Merges a request's JSON tree, already parsed and checked, into its message by JsonFormat's rules
 * (proto and JSON field names, int64 as numbers or strings, RFC 3339 timestamps, Struct, maps;
 * unknown fields ignored), without printing the tree back to text for JsonFormat to parse again:
 * that second parse was a third of the blocking thread's work on every JSON request (ADR 0014).
 * protobuf-jackson (the reader armeria-grpc uses for gRPC-JSON) walks the tree's tokens with code
 * generated per message type; JsonFormatParityTest pins it to JsonFormat's results.
 */
final class JsonTreeMerger {
    /** One reader per request type, generated on the type's first request (tens of milliseconds, once). */
    private static final ConcurrentMap<Descriptor, MessageMarshaller> BY_TYPE = new ConcurrentHashMap<>();

    private JsonTreeMerger() {}

    /** @throws IOException when a value does not fit its field (an int32 past its range, a timestamp JsonFormat refuses) */
    static void merge(ObjectMapper mapper, JsonNode tree, Message.Builder builder) throws IOException {
        MessageMarshaller marshaller = BY_TYPE.computeIfAbsent(builder.getDescriptorForType(), type ->
                MessageMarshaller.builder().register(builder.getDefaultInstanceForType()).ignoringUnknownFields(true)
                        .build());
        try (JsonParser tokens = mapper.treeAsTokens(tree)) {
            marshaller.mergeValue(tokens, builder);
        }
    }
}
