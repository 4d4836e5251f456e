package dev.tally.ops;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.ServiceRequestContext;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: a measurement (ADR 0014). CPU and allocation per access-log line of a usage request,
 * the way {@link AccessLog} wrote it before (a map per line, {@code Instant.toString},
 * {@code Double.toString}) and now, alternating in one JVM, from the thread's CPU time:
 * {@code java -cp target/tally.jar:target/test-classes dev.tally.ops.AccessLogCpu}.
 */
public final class AccessLogCpu {
    private static long sink;

    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RequestLog[] logs = new RequestLog[256];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = usageRequestLog(i);
        }
        PrintStream out = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        AccessLog now = new AccessLog(OperationsConfig.LogFormat.PLAIN, out);
        System.out.println("before: " + before(logs[0]));
        int n = 200_000;
        long self = Thread.currentThread().threadId();
        for (int round = 0; round < 5; round++) {
            long start = threads.getCurrentThreadCpuTime();
            long startBytes = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                out.println(before(logs[i & 255]));
            }
            long middle = threads.getCurrentThreadCpuTime();
            long middleBytes = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                now.log(logs[i & 255]);
            }
            long end = threads.getCurrentThreadCpuTime();
            long endBytes = threads.getThreadAllocatedBytes(self);
            System.out.printf("round %d: before %.2f us/line %d B/line, now %.2f us/line %d B/line (%.2f x)%n", round,
                    (middle - start) / 1e3 / n, (middleBytes - startBytes) / n, (end - middle) / 1e3 / n,
                    (endBytes - middleBytes) / n, (double) (middle - start) / (end - middle));
        }
        System.out.println(sink);
    }

    private static RequestLog usageRequestLog(int i) {
        ServiceRequestContext ctx = ServiceRequestContext.builder(HttpRequest.of(HttpMethod.POST,
                "/v1beta1/organizations/2b1f7e43-5a4e-4f0e-9d3c-8a1f0e2b7c11/billing/3b1f7e43-5a4e-4f0e-9d3c-8a1f0e2b7c11/usages"))
                .build();
        ctx.setAttr(RequestIds.REQUEST_ID, RequestIds.newId());
        ctx.setAttr(AccessLog.PRINCIPAL, "5c1f7e43-5a4e-4f0e-9d3c-8a1f0e2b7c1" + (i % 10));
        ctx.logBuilder().name("CreateBillingUsage");
        ctx.logBuilder().endRequest();
        ctx.logBuilder().responseHeaders(ResponseHeaders.of(HttpStatus.OK));
        ctx.logBuilder().endResponse();
        return ctx.log().ensureComplete();
    }

    /** The previous implementation's line (fields into a map, then key=value). */
    private static String before(RequestLog log) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("time", Instant.ofEpochMilli(log.requestStartTimeMillis()).toString());
        String requestId = log.context().attr(RequestIds.REQUEST_ID);
        fields.put("request_id", requestId == null ? "-" : requestId);
        String principal = log.context().attr(AccessLog.PRINCIPAL);
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
        StringBuilder line = new StringBuilder();
        fields.forEach((name, value) -> {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            String text = String.valueOf(value);
            // Every value here is bare, so the old quoting (Jackson) never ran; the check did.
            line.append(name).append('=').append(AccessLog.isBare(text) ? text : "\"" + text + "\"");
        });
        sink += line.length();
        return line.toString();
    }
}
