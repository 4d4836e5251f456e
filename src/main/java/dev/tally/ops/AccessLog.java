package dev.tally.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.logging.AccessLogWriter;

import io.netty.util.AttributeKey;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One line per request on standard output (DESIGN §15): time, request id, principal, RPC, method and
 * path, status and latency; {@code key=value} pairs, or a JSON object per line with
 * {@code TALLY_LOG_FORMAT=json}. Only these fields are written: no header, query string or body, so
 * neither a secret nor an Authorization value can reach the log.
 */
final class AccessLog implements AccessLogWriter {
    /** The authenticated principal's id, set on the request by {@link Operations} when it authenticates. */
    static final AttributeKey<String> PRINCIPAL = AttributeKey.valueOf(AccessLog.class, "principal");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The characters a value may hold to be written bare: {@code [A-Za-z0-9._:/{}@%+=,-]}. A table,
     * not a regex: matching that character-class union cost about 5 % of a history request's CPU.
     */
    private static final boolean[] BARE = bareCharacters("._:/{}@%+=,-");

    private final OperationsConfig.LogFormat format;
    private final PrintStream out;

    AccessLog(OperationsConfig.LogFormat format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    @Override
    public void log(RequestLog log) {
        Map<String, Object> fields = fields(log);
        String line = format == OperationsConfig.LogFormat.JSON ? json(fields) : plain(fields);
        out.println(line);
    }

    private static Map<String, Object> fields(RequestLog log) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", Instant.ofEpochMilli(log.requestStartTimeMillis()).toString());
        String requestId = log.context().attr(RequestIds.REQUEST_ID);
        fields.put("request_id", requestId == null ? "-" : requestId);
        String principal = log.context().attr(PRINCIPAL);
        fields.put("principal", principal == null ? "-" : principal);
        fields.put("rpc", RpcMeterIds.rpc(log));
        fields.put("method", log.requestHeaders().method().name());
        fields.put("path", log.context() instanceof ServiceRequestContext ctx ? ctx.path() : log.requestHeaders().path());
        fields.put("status", log.responseHeaders().status().code());
        String grpcStatus = log.responseTrailers().get("grpc-status");
        if (grpcStatus == null) {
            grpcStatus = log.responseHeaders().get("grpc-status");
        }
        if (grpcStatus != null) {
            fields.put("grpc_status", Integer.parseInt(grpcStatus));
        }
        fields.put("latency_ms", TimeUnit.NANOSECONDS.toMicros(log.totalDurationNanos()) / 1000.0);
        return fields;
    }

    private static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an access-log line could not be written as JSON", e);
        }
    }

    private static String plain(Map<String, Object> fields) {
        StringBuilder line = new StringBuilder();
        fields.forEach((name, value) -> {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            String text = String.valueOf(value);
            line.append(name).append('=').append(isBare(text) ? text : quoted(text));
        });
        return line.toString();
    }

    private static boolean[] bareCharacters(String punctuation) {
        boolean[] bare = new boolean[128];
        for (char c = 0; c < bare.length; c++) {
            bare[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || punctuation.indexOf(c) >= 0;
        }
        return bare;
    }

    /** True when {@code text} is written without quotes: one or more of the bare characters. */
    static boolean isBare(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c >= BARE.length || !BARE[c]) {
                return false;
            }
        }
        return true;
    }

    /** Values that are not plain tokens (a path with odd characters) are JSON strings: one line, escaped. */
    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an access-log value could not be quoted", e);
        }
    }
}
