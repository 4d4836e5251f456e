package dev.tally.hostile;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.Usage;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile binary requests over gRPC and binary Connect: bytes that are not a protobuf message, a
 * string field that is not UTF-8 or has the wrong wire type, and well-formed messages that break
 * DESIGN §5–§6 (NUL, negative or zero amounts, over-long text, too many usages, oversized
 * metadata, a non-uuid id). Each is INVALID_ARGUMENT and changes nothing.
 */
class HostileBinaryTest {
    private static final String USAGE = "/raystack.frontier.v1beta1.FrontierService/CreateBillingUsage";
    private static final String REVERT = "/raystack.frontier.v1beta1.AdminService/RevertBillingUsage";

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    private static Arguments hostile(String what, String path, Function<World, byte[]> body) {
        return Arguments.of(Named.of(what, path), body);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                hostile("bytes that are not a protobuf message", USAGE, w -> new byte[] {(byte) 0xFF, (byte) 0xFF, 1}),
                hostile("a truncated message", USAGE, w -> truncated(usage(w, u -> u).toByteArray())),
                hostile("org_id that is not UTF-8", USAGE, w -> field(1, new byte[] {(byte) 0xC3, (byte) 0x28})),
                hostile("org_id with a varint wire type", USAGE, w -> varint(1, 5)),
                hostile("a NUL in a usage source", USAGE, w -> usage(w, u -> u.setSource("a\u0000b")).toByteArray()),
                hostile("a negative usage amount", USAGE, w -> usage(w, u -> u.setAmount(-5)).toByteArray()),
                hostile("a zero usage amount", USAGE, w -> usage(w, u -> u.setAmount(0)).toByteArray()),
                hostile("a usage source of 256 characters", USAGE,
                        w -> usage(w, u -> u.setSource("s".repeat(256))).toByteArray()),
                hostile("a usage type of feature", USAGE, w -> usage(w, u -> u.setType("feature")).toByteArray()),
                hostile("a usage id that is not a uuid", USAGE, w -> usage(w, u -> u.setId("1 OR 1=1")).toByteArray()),
                hostile("metadata over 16 KiB", USAGE, w -> usage(w, u -> u.setMetadata(Struct.newBuilder()
                        .putFields("k", Value.newBuilder().setStringValue("x".repeat(17 * 1024)).build())))
                        .toByteArray()),
                hostile("1,001 usages", USAGE, w -> {
                    CreateBillingUsageRequest.Builder request = CreateBillingUsageRequest.newBuilder()
                            .setOrgId(w.a.org().id()).setBillingId(w.a.account());
                    IntStream.range(0, 1001).forEach(i -> request.addUsages(Usage.newBuilder()
                            .setId(UUID.randomUUID().toString()).setAmount(1).setSource("bulk")));
                    return request.build().toByteArray();
                }),
                hostile("a negative revert amount", REVERT, w -> RevertBillingUsageRequest.newBuilder()
                        .setOrgId(w.a.org().id()).setBillingId(w.a.account()).setUsageId(w.a.usage()).setAmount(-1)
                        .build().toByteArray()),
                hostile("a revert usage id that is not a uuid", REVERT, w -> RevertBillingUsageRequest.newBuilder()
                        .setOrgId(w.a.org().id()).setBillingId(w.a.account()).setUsageId("../../etc")
                        .build().toByteArray()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void grpcRefusesItAsInvalidArgumentAndChangesNothing(String path, Function<World, byte[]> body) {
        byte[] message = body.apply(world);
        LedgerSnapshot before = world.snapshot();
        AggregatedHttpResponse reply = send(path, MediaType.create("application", "grpc"), frame(message));
        LedgerSnapshot after = world.snapshot();

        String status = reply.trailers().contains("grpc-status") ? reply.trailers().get("grpc-status")
                : reply.headers().get("grpc-status");
        String description = String.valueOf(reply.trailers().contains("grpc-message")
                ? reply.trailers().get("grpc-message") : reply.headers().get("grpc-message"));
        assertThat(status).as(path + " -> " + reply.headers() + reply.trailers()).isEqualTo("3");
        for (String marker : Probe.MORE_LEAK_MARKERS) {
            assertThat(description).doesNotContain(marker);
        }
        after.assertUnchangedSince(before, path);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void binaryConnectRefusesItAsInvalidArgumentAndChangesNothing(String path, Function<World, byte[]> body) {
        byte[] message = body.apply(world);
        LedgerSnapshot before = world.snapshot();
        AggregatedHttpResponse reply = send(path, MediaType.create("application", "proto"), message);
        LedgerSnapshot after = world.snapshot();

        assertThat(reply.status().code()).as(path + " -> " + reply.contentUtf8()).isEqualTo(400);
        assertThat(reply.contentUtf8()).contains("\"code\":\"invalid_argument\"");
        for (String marker : Probe.MORE_LEAK_MARKERS) {
            assertThat(reply.contentUtf8()).doesNotContain(marker);
        }
        after.assertUnchangedSince(before, path);
    }

    private static CreateBillingUsageRequest usage(World w, Function<Usage.Builder, Usage.Builder> change) {
        return CreateBillingUsageRequest.newBuilder().setOrgId(w.a.org().id()).setBillingId(w.a.account())
                .addUsages(change.apply(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(1)
                        .setSource("hostile"))).build();
    }

    private static byte[] truncated(byte[] message) {
        return java.util.Arrays.copyOf(message, message.length - 3);
    }

    private static byte[] field(int number, byte[] value) {
        return write(out -> out.writeByteArray(number, value));
    }

    private static byte[] varint(int number, long value) {
        return write(out -> out.writeInt64(number, value));
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            writer.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** gRPC's length-prefixed message: no compression flag, a 4-byte length, the message. */
    private static byte[] frame(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    private static AggregatedHttpResponse send(String path, MediaType type, byte[] body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, path).contentType(type)
                .set("te", "trailers")
                .set("Connect-Protocol-Version", "1")
                .set("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .build();
        return WebClient.of("h2c://127.0.0.1:" + SERVER.uri().getPort())
                .execute(HttpRequest.of(headers, HttpData.wrap(body))).aggregate().join();
    }

}
