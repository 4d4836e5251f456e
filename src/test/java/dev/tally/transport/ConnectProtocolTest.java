package dev.tally.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingBalanceResponse;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the Connect protocol a Connect client relies on, beyond what the behaviour suite covers. */
class ConnectProtocolTest {
    private static final String BALANCE = "/raystack.frontier.v1beta1.FrontierService/GetBillingBalance";
    private static final String USAGE = "/raystack.frontier.v1beta1.FrontierService/CreateBillingUsage";
    private static final String TRANSACTIONS = "/raystack.frontier.v1beta1.FrontierService/ListBillingTransactions";
    private static final MediaType PROTO = MediaType.create("application", "proto");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aBinaryCallIsAnsweredInBinaryOverHttp1AndH2c() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 12);
        byte[] request = GetBillingBalanceRequest.newBuilder().setOrgId(org.id()).setId(account).build().toByteArray();

        for (String scheme : new String[] {"h1c", "h2c"}) {
            AggregatedHttpResponse reply = send(scheme, BALANCE, PROTO, HttpData.wrap(request), Map.of());

            assertThat(reply.status().code()).as(reply.contentUtf8()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo(PROTO);
            assertThat(GetBillingBalanceResponse.parseFrom(reply.content().array()).getBalance().getAmount())
                    .isEqualTo(12);
        }
    }

    @Test
    void anErrorIsConnectJsonWithTheCodeNameAndItsStatusEvenForABinaryCall() {
        Org org = fixtures.organization();
        byte[] request = GetBillingBalanceRequest.newBuilder().setOrgId(org.id())
                .setId(UUID.randomUUID().toString()).build().toByteArray();

        AggregatedHttpResponse reply = send("h2c", BALANCE, PROTO, HttpData.wrap(request), Map.of());

        assertThat(reply.status().code()).isEqualTo(404);
        assertThat(reply.contentType().is(MediaType.JSON)).isTrue();
        JsonNode body = json(reply.contentUtf8());
        assertThat(body.path("code").asText()).isEqualTo("not_found");
        assertThat(body.path("message").asText()).isNotBlank();
    }

    @Test
    void aGzipRequestIsReadAndALargeAnswerIsGzippedWhenTheClientAcceptsIt() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        IntStream.range(0, 10).forEach(i -> fixtures.grant(org, account, 1));
        byte[] body = gzip("{\"orgId\":\"" + org.id() + "\",\"billingId\":\"" + account + "\"}");

        AggregatedHttpResponse reply = send("h1c", TRANSACTIONS, MediaType.JSON, HttpData.wrap(body),
                Map.of("Content-Encoding", "gzip", "Accept-Encoding", "gzip"));

        assertThat(reply.status().code()).isEqualTo(200);
        assertThat(reply.headers().get("content-encoding")).isEqualTo("gzip");
        assertThat(json(gunzip(reply.content().array())).path("transactions")).hasSize(10);
    }

    @Test
    void anUnsupportedCompressionIsUnimplemented() {
        AggregatedHttpResponse reply = send("h1c", BALANCE, MediaType.JSON, HttpData.ofUtf8("{}"),
                Map.of("Content-Encoding", "snappy"));

        assertThat(reply.status().code()).isEqualTo(501);
        assertThat(json(reply.contentUtf8()).path("code").asText()).isEqualTo("unimplemented");
    }

    @Test
    void anotherProtocolVersionOrAMalformedTimeoutIsInvalidArgument() {
        AggregatedHttpResponse version = send("h1c", BALANCE, MediaType.JSON, HttpData.ofUtf8("{}"),
                Map.of("Connect-Protocol-Version", "2"));
        AggregatedHttpResponse timeout = send("h1c", BALANCE, MediaType.JSON, HttpData.ofUtf8("{}"),
                Map.of("Connect-Timeout-Ms", "soon"));
        AggregatedHttpResponse tooLong = send("h1c", BALANCE, MediaType.JSON, HttpData.ofUtf8("{}"),
                Map.of("Connect-Timeout-Ms", "12345678901"));

        for (AggregatedHttpResponse reply : new AggregatedHttpResponse[] {version, timeout, tooLong}) {
            assertThat(reply.status().code()).as(reply.contentUtf8()).isEqualTo(400);
            assertThat(json(reply.contentUtf8()).path("code").asText()).isEqualTo("invalid_argument");
        }
    }

    @Test
    void aCallThatOutlivesConnectTimeoutMsIsDeadlineExceeded() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000_000);
        String usages = IntStream.range(0, 1000)
                .mapToObj(i -> "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\",\"source\":\"bulk\"}")
                .collect(Collectors.joining(","));

        AggregatedHttpResponse reply = send("h1c", USAGE, MediaType.JSON, HttpData.ofUtf8(
                "{\"orgId\":\"" + org.id() + "\",\"billingId\":\"" + account + "\",\"usages\":[" + usages + "]}"),
                Map.of("Connect-Timeout-Ms", "1"));

        assertThat(reply.status().code()).as(reply.contentUtf8()).isEqualTo(504);
        assertThat(json(reply.contentUtf8()).path("code").asText()).isEqualTo("deadline_exceeded");
    }

    @Test
    void aContentTypeThatIsNeitherJsonNorProtoIsUnsupportedMediaType() {
        AggregatedHttpResponse reply = send("h1c", BALANCE, MediaType.PLAIN_TEXT_UTF_8, HttpData.ofUtf8("hi"),
                Map.of());

        assertThat(reply.status().code()).isEqualTo(415);
        assertThat(json(reply.contentUtf8()).path("code").asText()).isEqualTo("invalid_argument");
    }

    private static AggregatedHttpResponse send(String scheme, String path, MediaType type, HttpData body,
                                               Map<String, String> headers) {
        RequestHeadersBuilder request = RequestHeaders.builder(HttpMethod.POST, path).contentType(type)
                .set("Connect-Protocol-Version", "1")
                .set("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET));
        headers.forEach(request::set);
        return WebClient.builder(scheme + "://127.0.0.1:" + SERVER.uri().getPort()).build()
                .execute(HttpRequest.of(request.build(), body)).aggregate().join();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
