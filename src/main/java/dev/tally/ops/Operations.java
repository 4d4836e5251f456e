package dev.tally.ops;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.GracefulShutdown;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import dev.tally.Tally;
import dev.tally.auth.Principal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a production process adds around the API (DESIGN §15), as decorators on the one server so that
 * REST, gRPC, gRPC-Web and unframed calls get the same: per-RPC metrics, request ids, the access log,
 * the principal recorded on the request and its rate limit, TLS, graceful shutdown, and the management
 * port. One instance per server: it binds the database pool's and the usage lanes' meters.
 */
public final class Operations implements AutoCloseable {
    private static final Duration QUIET_PERIOD = Duration.ofMillis(200);

    private final Tally tally;
    private final OperationsConfig config;
    private final Metrics metrics = new Metrics();
    private final AccessLog accessLog;
    private final RateLimits rateLimits;
    private final AtomicBoolean draining = new AtomicBoolean();

    public Operations(Tally tally, OperationsConfig config, PrintStream accessLogOut) {
        this.tally = tally;
        this.config = config;
        this.accessLog = new AccessLog(config.logFormat(), accessLogOut);
        this.rateLimits = new RateLimits(config.rateLimitPerSecond());
        tally.database().bindMetrics(metrics.registry());
        UsageLaneMeters.bind(metrics.registry(), tally.usageWriter());
    }

    /** The API port: plain HTTP (HTTP/1.1 and h2c), or HTTPS with h2 when a certificate is configured. */
    public void listen(ServerBuilder server, int port) {
        if (config.tlsCertificateFile().isPresent()) {
            server.https(port).tls(config.tlsCertificateFile().get().toFile(), config.tlsKeyFile().orElseThrow().toFile());
        } else {
            server.http(port);
        }
    }

    /** Installs the decorators; call after the API's services are bound. */
    public void decorate(ServerBuilder server) {
        server.meterRegistry(metrics.registry());
        server.accessLogWriter(accessLog, true);
        // Refusals during a shutdown say so in the one error shape; the server then drains (see beginDrain).
        server.gracefulShutdown(GracefulShutdown.builder()
                .quietPeriod(QUIET_PERIOD)
                .timeout(Duration.ofSeconds(config.shutdownGraceSeconds()).plus(QUIET_PERIOD))
                .toExceptionFunction((ctx, req) -> HttpStatusException.of(HttpStatus.SERVICE_UNAVAILABLE))
                .build());
        tally.authenticator().onAuthenticated(this::admit);
        // Innermost first: metrics see the final status of every request, refusals included.
        server.decorator(MetricCollectingService.newDecorator(new RpcMeterIds()));
        server.decorator((delegate, ctx, req) -> draining.get() && ctx.path().equals("/ready")
                ? HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
                        "{\"code\":14,\"message\":\"shutting down\",\"details\":[]}")
                : delegate.serve(ctx, req));
        server.decorator(new RequestIds());
    }

    /** The management server ({@code /metrics}, {@code /ping}, {@code /ready}) on {@code port}. */
    public Server managementServer(int port) {
        return ManagementServer.build(port, metrics, this::ready);
    }

    /** Ready: not shutting down and the database answers. */
    public boolean ready() {
        return !draining.get() && tally.database().isReachable();
    }

    /** The first step of a shutdown: /ready answers 503 on both ports, so load balancers stop sending. */
    public void beginDrain() {
        draining.set(true);
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Runs after every successful authentication, on the request's thread. */
    private void admit(Principal principal) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null) {
            ctx.setAttr(AccessLog.PRINCIPAL, principal.serviceUserId().toString());
        }
        rateLimits.admit(principal, ctx);
    }

    @Override
    public void close() {
        metrics.close();
    }
}
