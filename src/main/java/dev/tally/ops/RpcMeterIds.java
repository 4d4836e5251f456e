package dev.tally.ops;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.common.logging.RequestOnlyLog;
import com.linecorp.armeria.common.metric.MeterIdPrefix;
import com.linecorp.armeria.common.metric.MeterIdPrefixFunction;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Names the per-RPC meters {@code tally_rpc_…} (requests, request duration histogram, active requests)
 * with the same tags on every transport: {@code rpc} (the method name, e.g. {@code CreateBillingUsage}),
 * {@code protocol} ({@code rest}, {@code grpc}, {@code grpc-web}, {@code unframed}), {@code http_status} and
 * {@code grpc_status} ({@code none} where the transport has none). Prometheus needs one tag set per name,
 * so every tag is always present.
 */
final class RpcMeterIds implements MeterIdPrefixFunction {
    static final String NAME = "tally.rpc";

    @Override
    public MeterIdPrefix activeRequestPrefix(MeterRegistry registry, RequestOnlyLog log) {
        return new MeterIdPrefix(NAME, "rpc", rpc(log), "protocol", protocol(log));
    }

    @Override
    public MeterIdPrefix completeRequestPrefix(MeterRegistry registry, RequestLog log) {
        return new MeterIdPrefix(NAME, "rpc", rpc(log), "protocol", protocol(log),
                "http_status", Integer.toString(log.responseHeaders().status().code()),
                "grpc_status", grpcStatus(log));
    }

    /**
     * The RPC's name where the transport set one (gRPC does; the REST routes name theirs), else the
     * route's path pattern, which stays one series per endpoint rather than one per id in a path.
     */
    static String rpc(RequestOnlyLog log) {
        String name = log.name();
        if (name != null && HttpMethod.tryParse(name) == null) {
            return name;
        }
        if (log.context() instanceof ServiceRequestContext ctx) {
            return log.requestHeaders().method() + " " + ctx.config().route().patternString();
        }
        return "unknown";
    }

    /** From the content type, which every transport sends before the RPC is known. */
    private static String protocol(RequestOnlyLog log) {
        MediaType type = log.requestHeaders().contentType();
        String subtype = type == null ? "" : type.subtype();
        if (subtype.startsWith("grpc-web")) {
            return "grpc-web";
        }
        if (subtype.startsWith("grpc")) {
            return "grpc";
        }
        String path = log.requestHeaders().path();
        if (!path.startsWith("/raystack.")) {
            return "rest";
        }
        return log.requestHeaders().contains("connect-protocol-version") ? "connect" : "unframed";
    }

    private static String grpcStatus(RequestLog log) {
        String status = log.responseTrailers().get("grpc-status");
        if (status == null) {
            status = log.responseHeaders().get("grpc-status"); // a trailers-only reply
        }
        return status == null ? "none" : status;
    }
}
