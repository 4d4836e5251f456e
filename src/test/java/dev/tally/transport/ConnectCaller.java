package dev.tally.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.tally.common.ErrorCode;
import io.grpc.MethodDescriptor;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * Connect unary as connect-node and Connect-Go send it: POST to {@code /package.Service/Method}
 * with {@code Connect-Protocol-Version: 1}, as JSON (camelCase names, as protobuf-es writes them)
 * or binary protobuf, over HTTP/1.1 or h2c.
 */
final class ConnectCaller implements Transport.Caller {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean binary;
    private final boolean http2;

    ConnectCaller(boolean binary, boolean http2) {
        this.binary = binary;
        this.http2 = http2;
    }

    @Override
    public <Q extends Message, R extends Message> Outcome call(URI base, MethodDescriptor<Q, R> method, Q request,
                                                                Map<String, String> headers) {
        WebClient client = WebClient.of((http2 ? "h2c://" : "h1c://") + base.getHost() + ":" + base.getPort());
        RequestHeadersBuilder sent = RequestHeaders.builder(HttpMethod.POST, "/" + method.getFullMethodName())
                .contentType(binary ? MediaType.create("application", "proto") : MediaType.JSON)
                .set("Connect-Protocol-Version", "1");
        headers.forEach(sent::set);
        HttpData body = binary ? HttpData.wrap(request.toByteArray()) : HttpData.ofUtf8(json(request));
        AggregatedHttpResponse reply = client.execute(HttpRequest.of(sent.build(), body)).aggregate().join();
        boolean replayed = "true".equals(reply.headers().get("idempotent-replayed"));
        int status = reply.status().code();
        try {
            if (status == 200) {
                Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getResponseMarshaller())
                        .getMessagePrototype();
                Message.Builder response = prototype.newBuilderForType();
                if (binary) {
                    response.mergeFrom(reply.content().array());
                } else {
                    JsonFormat.parser().merge(reply.contentUtf8(), response);
                }
                return Outcome.answered(response.build(), status, replayed);
            }
            JsonNode error = MAPPER.readTree(reply.contentUtf8());
            ErrorCode code = ErrorCode.valueOf(error.path("code").asText().toUpperCase(Locale.ROOT));
            return Outcome.refused(code, error.path("message").asText(), status, replayed, reply.contentUtf8());
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError("not a Connect reply: " + reply.status() + " " + reply.contentUtf8(), e);
        }
    }

    private static String json(Message request) {
        try {
            return JsonFormat.printer().print(request); // lowerCamelCase names, as Connect clients send
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
