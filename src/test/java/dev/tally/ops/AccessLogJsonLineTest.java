package dev.tally.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** TALLY_LOG_FORMAT=json: one object per line, the same fields in the same order as the plain line, typed. */
class AccessLogJsonLineTest {
    @Test
    void aJsonLineHoldsTheFieldsInOrderWithNumbersAsNumbers() throws Exception {
        ServiceRequestContext ctx = ServiceRequestContext.builder(HttpRequest.of(HttpMethod.GET, "/v1beta1/x y")).build();
        ctx.setAttr(RequestIds.REQUEST_ID, "lb-1");
        ctx.logBuilder().name("GetBillingBalance");
        ctx.logBuilder().endRequest();
        ctx.logBuilder().responseHeaders(ResponseHeaders.of(HttpStatus.OK, "grpc-status", "5"));
        ctx.logBuilder().endResponse();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new AccessLog(OperationsConfig.LogFormat.JSON, out).log(ctx.log().ensureComplete());
        new AccessLog(OperationsConfig.LogFormat.PLAIN, out).log(ctx.log().ensureComplete());

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("time", "request_id", "principal", "rpc", "method", "path", "status",
                "grpc_status", "latency_ms");
        assertThat(json.get("status").isInt()).isTrue();
        assertThat(json.get("grpc_status").intValue()).isEqualTo(5);
        assertThat(json.get("latency_ms").isDouble()).isTrue();
        assertThat(json.get("principal").textValue()).isEqualTo("-");
        assertThat(lines[1]).startsWith("time=").contains(" request_id=lb-1 principal=- rpc=GetBillingBalance method=GET ",
                " status=200 grpc_status=5 latency_ms=");
        assertThat(lines[1]).contains("time=" + json.get("time").textValue() + " ",
                "latency_ms=" + json.get("latency_ms").asText());
    }

    @Test
    void aJsonLineIsWhatJacksonWritesForItsFields() throws Exception {
        // Values only Tally sets (a request id, a principal) carry what a path cannot: every escape.
        String principal = "user \"a\\b\" \u001b\u2028é";
        ServiceRequestContext ctx = ServiceRequestContext.builder(HttpRequest.of(HttpMethod.GET, "/v1beta1/x y")).build();
        ctx.setAttr(RequestIds.REQUEST_ID, "lb\t2\n");
        ctx.setAttr(AccessLog.PRINCIPAL, principal);
        ctx.logBuilder().name("GetBillingBalance");
        ctx.logBuilder().endRequest();
        ctx.logBuilder().responseHeaders(ResponseHeaders.of(HttpStatus.NOT_FOUND));
        ctx.logBuilder().endResponse();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new AccessLog(OperationsConfig.LogFormat.JSON, new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .log(ctx.log().ensureComplete());

        String line = bytes.toString(StandardCharsets.UTF_8).stripTrailing();
        ObjectMapper jackson = new ObjectMapper();
        Map<String, Object> fields = jackson.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
        assertThat(line).isEqualTo(jackson.writeValueAsString(fields));
        assertThat(fields).containsEntry("request_id", "lb\t2\n").containsEntry("principal", principal)
                .containsEntry("path", ctx.path()).containsEntry("status", 404).doesNotContainKey("grpc_status");
    }
}
