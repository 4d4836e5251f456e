package dev.tally.ops;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;

import java.util.function.BooleanSupplier;

/**
 * The management port (DESIGN §15, {@code TALLY_MANAGEMENT_PORT}): {@code /metrics} for Prometheus,
 * {@code /ping} and {@code /ready} for load balancers and orchestrators. It is a server of its own, so
 * that metrics are not public on the API port and stay readable while the API port drains at shutdown.
 */
final class ManagementServer {
    private static final MediaType PROMETHEUS_TEXT = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

    private ManagementServer() {}

    /**
     * @param ready whether this process takes traffic: the database answers and no shutdown has begun
     */
    static Server build(int port, Metrics metrics, BooleanSupplier ready) {
        return Server.builder()
                .http(port)
                .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK, PROMETHEUS_TEXT,
                        metrics.scrape()))
                .service("/ping", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                        "{\"status\":\"ok\"}"))
                .service("/ready", (ctx, req) -> HttpResponse.of(() -> ready.getAsBoolean()
                        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ready\"}")
                        : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
                                "{\"code\":14,\"message\":\"not ready\",\"details\":[]}"), ctx.blockingTaskExecutor()))
                .build();
    }
}
