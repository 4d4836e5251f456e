package dev.tally.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.tally.api.proto.TallyProto;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §2 and §10 over the JSON form of Connect (and the unframed form, which sends no
 * Connect-Protocol-Version): a field of the wrong type is a 400 INVALID_ARGUMENT and changes
 * nothing, on every field of every RPC's request, and of the usages inside it. protobuf's own JSON
 * parser would take {@code 12} for a string, {@code [5]} for an amount and roll {@code 2026-02-30}
 * into March; each case sends exactly such a value.
 */
class HostileConnectJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    /** For every RPC, every field (and every field of a repeated message field's element): one wrong value. */
    static Stream<Arguments> wrongTypes() {
        List<Arguments> cases = new ArrayList<>();
        for (var service : TallyProto.getDescriptor().getServices()) {
            for (MethodDescriptor method : service.getMethods()) {
                String path = "/" + service.getFullName() + "/" + method.getName();
                Descriptor request = method.getInputType();
                for (FieldDescriptor field : request.getFields()) {
                    for (String json : wrongValues(field)) {
                        cases.add(wrong(path, field.getName(), "{\"" + field.getJsonName() + "\":" + json + "}"));
                    }
                    if (field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                            && !field.isMapField()) {
                        for (FieldDescriptor inner : field.getMessageType().getFields()) {
                            for (String json : wrongValues(inner)) {
                                cases.add(wrong(path, field.getName() + "[0]." + inner.getName(),
                                        "{\"" + field.getJsonName() + "\":[{\"" + inner.getJsonName() + "\":"
                                                + json + "}]}"));
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    private static Arguments wrong(String path, String field, String body) {
        return Arguments.of(Named.of(path + " " + field + " = " + body, path), body);
    }

    private static List<String> wrongValues(FieldDescriptor field) {
        if (field.isRepeated()) {
            return List.of("{\"0\":1}", "\"all\"");
        }
        return switch (field.getJavaType()) {
            case STRING -> List.of("12", "true", "[\"a\"]");
            case INT, LONG -> List.of("[5]", "\"5x\"", "{\"amount\":5}");
            case BOOLEAN -> List.of("\"yes\"", "1");
            case MESSAGE -> switch (field.getMessageType().getFullName()) {
                case "google.protobuf.Timestamp" -> List.of("\"2026-02-30T00:00:00Z\"", "\"2026-01-01\"", "1767225600");
                case "google.protobuf.Struct" -> List.of("5", "[1]", "\"k=v\"");
                default -> List.of("\"x\"", "[]", "7");
            };
            default -> List.of("{}");
        };
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void connectJsonRefusesAWrongTypeAndChangesNothing(String path, String body) {
        assertRefused(path, body, true);
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void unframedJsonRefusesAWrongTypeAndChangesNothing(String path, String body) {
        assertRefused(path, body, false);
    }

    private static void assertRefused(String path, String body, boolean connect) {
        LedgerSnapshot before = world.snapshot();
        AggregatedHttpResponse reply = send(path, body, connect);
        LedgerSnapshot after = world.snapshot();

        String shown = path + " " + body + " -> " + reply.status() + " " + reply.contentUtf8();
        assertThat(reply.status().code()).as(shown).isEqualTo(400);
        JsonNode error = json(reply.contentUtf8());
        if (connect) {
            assertThat(error.path("code").asText()).as(shown).isEqualTo("invalid_argument");
        } else {
            assertThat(error.path("code").asInt()).as(shown).isEqualTo(3);
        }
        assertThat(error.path("message").asText()).as(shown).isNotBlank();
        for (String marker : Probe.MORE_LEAK_MARKERS) {
            assertThat(reply.contentUtf8()).as(shown).doesNotContain(marker);
        }
        after.assertUnchangedSince(before, shown);
    }

    private static AggregatedHttpResponse send(String path, String body, boolean connect) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.JSON)
                .set("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET));
        if (connect) {
            headers.set("Connect-Protocol-Version", "1");
        }
        return WebClient.of(SERVER.uri()).execute(HttpRequest.of(headers.build(), HttpData.ofUtf8(body)))
                .aggregate().join();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
