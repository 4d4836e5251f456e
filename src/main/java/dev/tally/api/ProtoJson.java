package dev.tally.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldResponse;
import dev.tally.common.Metadata;

import java.nio.charset.StandardCharsets;

/** Protojson as Frontier's gateway speaks it: proto field names, every field printed, int64 as strings. */
final class ProtoJson {
    static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .includingDefaultValueFields()
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Printer COMPACT = JsonFormat.printer()
            .preservingProtoFieldNames()
            .omittingInsignificantWhitespace();

    private static final String EMPTY_STRUCT = compact(Struct.getDefaultInstance());

    private ProtoJson() {}

    /** The reply's protojson as a transport sends it, in UTF-8: the bytes of {@link #printWithJsonFormat}. */
    static byte[] printUtf8(MessageOrBuilder message) {
        // Holds' create and capture replies: half of the hold workload's requests (HoldJson).
        if (message instanceof CreateBillingHoldResponse created) {
            return HoldJson.write(created);
        }
        if (message instanceof CaptureBillingHoldResponse captured) {
            return HoldJson.write(captured);
        }
        return print(message).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@link #printUtf8}'s text, for a reply an Idempotency-Key records. (A page of history never
     * comes here: its answer writes its own bytes, TransactionPageAnswer.)
     */
    static String print(MessageOrBuilder message) {
        // The usage reply (CreateBillingUsageResponse) has no fields: no printer needed, on the hottest path.
        if (message.getDescriptorForType().getFields().isEmpty()) {
            return "{}";
        }
        if (message instanceof CreateBillingHoldResponse || message instanceof CaptureBillingHoldResponse) {
            return new String(printUtf8(message), StandardCharsets.UTF_8);
        }
        return printWithJsonFormat(message);
    }

    /** What {@link #print} answers, always by JsonFormat. */
    static String printWithJsonFormat(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a response message cannot be printed as JSON", e);
        }
    }

    /** A caller's metadata as stored JSON, with the size limit checked. */
    static Metadata metadata(String field, Struct struct) {
        // Most usages carry no metadata: skip the printer for the empty object.
        return Metadata.fromCaller(field, struct.getFieldsCount() == 0 ? EMPTY_STRUCT : compact(struct));
    }

    static Struct struct(Metadata metadata) {
        // Most entries have no metadata; parsing "{}" cost a page of 100 more than building its messages.
        if (metadata.equals(Metadata.EMPTY)) {
            return Struct.getDefaultInstance();
        }
        return parse(metadata.json(), Struct.newBuilder()).build();
    }

    /** Prints a message as compact JSON holding only the fields that are set: for storing. */
    static String compact(MessageOrBuilder message) {
        try {
            return COMPACT.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message cannot be printed as JSON", e);
        }
    }

    static <B extends Message.Builder> B parse(String json, B builder) {
        try {
            PARSER.merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored JSON cannot be read back", e);
        }
    }
}
