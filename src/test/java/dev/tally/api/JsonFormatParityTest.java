package dev.tally.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.QueryParams;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.common.TallyException;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RequestBinder} reads a body once and merges the checked tree into the message
 * ({@link JsonTreeMerger}); before, it printed the tree back to text for JsonFormat. Every request
 * message of every RPC, filled in every field under either name and in every shape the type check
 * lets through, binds to exactly the message the type check and JsonFormat read from the same
 * text; what either refuses is refused.
 */
class JsonFormatParityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFormat.Parser JSON_FORMAT = JsonFormat.parser().ignoringUnknownFields();

    /** How a body names and spells its values: the variants JsonFormat reads alike. */
    private enum Spelling {
        PROTO_NAMES_INTS_AS_STRINGS, JSON_NAMES_INTS_AS_NUMBERS, DEFAULT_VALUES, NULLS
    }

    @Test
    void everyRequestMessageBindsAsJsonFormatReadsIt() throws Exception {
        List<Message> prototypes = requestPrototypes();
        assertThat(prototypes).hasSizeGreaterThan(30);
        for (Message prototype : prototypes) {
            for (Spelling spelling : Spelling.values()) {
                ObjectNode body = fill(prototype.getDescriptorForType(), spelling, 0);
                body.put("not_a_field_of_any_message", "ignored").putObject("nor_this").put("x", 1);
                assertSameAsJsonFormat(prototype, MAPPER.writeValueAsString(body));
            }
        }
    }

    @Test
    void aBodyWithEveryFieldSetReallySetsThem() throws Exception {
        // Guards the test itself: a generator that filled nothing would compare empty messages.
        Message bound = bind(CreateBillingUsageRequest.getDefaultInstance(), MAPPER.writeValueAsString(
                fill(CreateBillingUsageRequest.getDescriptor(), Spelling.JSON_NAMES_INTS_AS_NUMBERS, 0)));
        CreateBillingUsageRequest usage = (CreateBillingUsageRequest) bound;
        assertThat(usage.getUsagesCount()).isEqualTo(2);
        assertThat(usage.getUsages(0).getAmount()).isEqualTo(1_234_567_890_123L);
        assertThat(usage.getUsages(0).getMetadata().getFieldsMap()).containsKeys("text", "number", "list", "object");
        assertThat(usage.getBillingId()).isEqualTo("s-billing_id");
    }

    /** Values the type check lets through but a field cannot hold, or timestamps only JsonFormat's own parser refuses. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"usages\":[{\"amount\":\"9223372036854775808\"}]}",
            "{\"usages\":[{\"amount\":-9223372036854775809}]}",
            "{\"usages\":[{\"amount\":\"-9223372036854775808\"}]}",
            "{\"usages\":[{\"amount\":\"007\"}]}",
            "{\"usages\":[{\"amount\":\"-0\"}]}",
            "{\"billing_id\":\"a\",\"billingId\":\"b\"}",
            "{\"usages\":[{\"metadata\":{\"a\":1,\"b\":[null,{}],\"c\":{\"d\":[]}}}]}"})
    void valuesAtTheEdgesOfAUsageBindAsJsonFormatReadsThem(String body) {
        assertSameAsJsonFormat(CreateBillingUsageRequest.getDefaultInstance(), body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "2026-01-31T12:34:56Z", "2026-01-31T12:34:56.1Z", "2026-01-31T12:34:56.123456789Z",
            "2026-01-31T12:34:56+05:30", "2026-01-31T12:34:56-00:00", "2026-01-31T12:34Z",
            "2026-01-31T12:34:56.1234567891Z", "2026-01-31t12:34:56z", "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z", "2026-01-31T12:34:56+14:00",
            "2026-01-31T12:34:56+18:00", "2026-01-31T23:59:60Z"})
    void timestampsBindAsJsonFormatReadsThem(String timestamp) {
        var grants = FrontierServiceGrpc.getListBillingTransactionsMethod();
        assertSameAsJsonFormat(prototype(grants), "{\"start_range\":\"" + timestamp + "\"}");
    }

    @Test
    void int32FieldsPastTheirRangeAreRefused() {
        Message prototype = requestPrototypes().stream()
                .filter(message -> message.getDescriptorForType().findFieldByName("page_size") != null)
                .findFirst().orElseThrow();
        assertSameAsJsonFormat(prototype, "{\"page_size\":2147483648}");
        assertSameAsJsonFormat(prototype, "{\"page_size\":\"-2147483649\"}");
        assertSameAsJsonFormat(prototype, "{\"page_size\":\"2147483647\"}");
        // The caller reads the reader's message, not where in its token stream it stopped.
        assertThatThrownBy(() -> bind(prototype, "{\"page_size\":2147483648}")).isInstanceOf(TallyException.class)
                .hasMessageStartingWith("invalid request: ").hasMessageContaining("2147483648")
                .hasMessageNotContaining("Source").hasMessageNotContaining("\n");
    }

    private static void assertSameAsJsonFormat(Message prototype, String body) {
        // The reference is the binder as it was: the strict type check, then JsonFormat on the text.
        Message.Builder reference = prototype.newBuilderForType();
        Exception refused = null;
        try {
            JsonTypeCheck.check(MAPPER.readTree(body), prototype.getDescriptorForType(), "");
            JSON_FORMAT.merge(body, reference);
        } catch (InvalidProtocolBufferException | TallyException | JsonProcessingException e) {
            refused = e;
        }
        if (refused == null) {
            assertThat(bind(prototype, body)).as(body).isEqualTo(reference.build());
        } else {
            assertThatThrownBy(() -> bind(prototype, body)).as(body + " (JsonFormat: " + refused.getMessage() + ")")
                    .isInstanceOf(TallyException.class);
        }
    }

    private static Message bind(Message prototype, String body) {
        return RequestBinder.bind(prototype.newBuilderForType(), RequestBinder.BodyShape.WHOLE, body, QueryParams.of(),
                Map.of()).build();
    }

    /** A JSON object naming every field of {@code type} (to a depth of three messages), as {@code spelling} says. */
    private static ObjectNode fill(Descriptor type, Spelling spelling, int depth) {
        ObjectNode object = NODES.objectNode();
        if (depth > 3) {
            return object;
        }
        for (FieldDescriptor field : type.getFields()) {
            String name = spelling == Spelling.JSON_NAMES_INTS_AS_NUMBERS ? field.getJsonName() : field.getName();
            if (spelling == Spelling.NULLS) {
                object.putNull(name);
            } else if (field.isMapField()) {
                object.putObject(name).put("a", "b").put("c", spelling == Spelling.DEFAULT_VALUES ? "" : "d");
            } else if (field.isRepeated()) {
                ArrayNode array = object.putArray(name);
                array.add(value(field, spelling, depth));
                if (spelling != Spelling.DEFAULT_VALUES) {
                    array.add(value(field, spelling, depth));
                }
            } else {
                object.set(name, value(field, spelling, depth));
            }
        }
        return object;
    }

    private static JsonNode value(FieldDescriptor field, Spelling spelling, int depth) {
        boolean defaults = spelling == Spelling.DEFAULT_VALUES;
        boolean numbers = spelling == Spelling.JSON_NAMES_INTS_AS_NUMBERS;
        return switch (field.getJavaType()) {
            case STRING -> NODES.textNode(defaults ? "" : "s-" + field.getName());
            case LONG -> numbers ? NODES.numberNode(defaults ? 0 : 1_234_567_890_123L)
                    : NODES.textNode(defaults ? "0" : "-1234567890123");
            case INT -> numbers ? NODES.numberNode(defaults ? 0 : 42) : NODES.textNode(defaults ? "0" : "-42");
            case BOOLEAN -> NODES.booleanNode(!defaults);
            case MESSAGE -> message(field.getMessageType(), spelling, depth);
            default -> throw new AssertionError(field.getFullName() + ": a field type this test does not fill yet: "
                    + field.getJavaType() + " (add it, with the shapes JsonFormat reads)");
        };
    }

    private static JsonNode message(Descriptor type, Spelling spelling, int depth) {
        if (type.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
            return NODES.textNode(spelling == Spelling.DEFAULT_VALUES ? "1970-01-01T00:00:00Z" : "2026-01-31T12:34:56.789+02:00");
        }
        if (type.getFullName().equals(Struct.getDescriptor().getFullName())) {
            ObjectNode struct = NODES.objectNode();
            if (spelling != Spelling.DEFAULT_VALUES) {
                struct.put("text", "v").put("number", 1.5).put("integer", 12345678901234L).put("flag", true)
                        .putNull("none");
                struct.putArray("list").add(1).add("x").addNull().addObject().put("deep", false);
                struct.putObject("object").put("a", "b");
            }
            return struct;
        }
        return fill(type, spelling, depth + 1);
    }

    private static List<Message> requestPrototypes() {
        Map<String, Message> byType = new LinkedHashMap<>();
        for (ServiceDescriptor service : List.of(FrontierServiceGrpc.getServiceDescriptor(),
                AdminServiceGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                Message prototype = prototype(method);
                byType.putIfAbsent(prototype.getDescriptorForType().getFullName(), prototype);
            }
        }
        return new ArrayList<>(byType.values());
    }

    private static Message prototype(MethodDescriptor<?, ?> method) {
        Function<MethodDescriptor.Marshaller<?>, Object> prototypeOf = marshaller ->
                ((MethodDescriptor.PrototypeMarshaller<?>) marshaller).getMessagePrototype();
        return (Message) prototypeOf.apply(method.getRequestMarshaller());
    }
}
