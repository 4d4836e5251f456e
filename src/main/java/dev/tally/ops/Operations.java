package dev.tally.ops;

import com.linecorp.armeria.common.HttpStatus;
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

/**
 * What a production process adds around the API (DESIGN §15), as decorators on the one server so that
 * REST, gRPC, gRPC-Web and unframed calls get the same: per-RPC metrics, request ids, the access log,
 * the principal recorded on the request and its rate limit, TLS, graceful shutdown, and the management
 * port. One instance per server: it binds the database pool's and the usage lanes' meters.
 */
public final class Operations implements AutoCloseable {
    /** After the drain nothing is in flight; these only bound the closing of the port itself. */
    private static final Duration QUIET_PERIOD = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final Tally tally;
    private final OperationsConfig config;
    private final Metrics metrics = new Metrics();
    private final AccessLog accessLog;
    private final RateLimits rateLimits;
    private final Drain drain = new Drain();

    public Operations(Tally tally, OperationsConfig config, PrintStream accessLogOut) {
        this.tally = tally;
        this.config = config;
        this.accessLog = new AccessLog(config.logFormat(), accessLogOut);
        this.rateLimits = new RateLimits(config.rateLimitPerSecond());
        tally.database().bindMetrics(metrics.registry());
        UsageLaneMeters.bind(metrics.registry(), tally.usageWriter());
        BacklogMeters.bind(metrics.registry(), tally.database(), tally.clock());
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
        // Requests still arriving while the port closes (after the drain) get 503 in the one error shape.
        server.gracefulShutdown(GracefulShutdown.builder()
                .quietPeriod(QUIET_PERIOD)
                .timeout(CLOSE_TIMEOUT)
                .toExceptionFunction((ctx, req) -> HttpStatusException.of(HttpStatus.SERVICE_UNAVAILABLE))
                .build());
        tally.authenticator().onAuthenticated(this::admit);
        // Innermost first: metrics see the final status of every request, refusals included.
        server.decorator(MetricCollectingService.newDecorator(new RpcMeterIds()));
        server.decorator(drain);
        server.decorator(new RequestIds());
    }

    /** The management server ({@code /metrics}, {@code /ping}, {@code /ready}) on {@code port}. */
    public Server managementServer(int port) {
        return ManagementServer.build(port, metrics, this::ready);
    }

    /** Ready: not shutting down and the database answers. */
    public boolean ready() {
        return !drain.draining() && tally.database().isReachable();
    }

    /**
     * The first step of a shutdown: /ready answers 503 on both ports and new API requests are refused
     * with 503; then waits (at most TALLY_SHUTDOWN_GRACE_SECONDS) for the admitted ones to be answered.
     *
     * @return whether every admitted request was answered in time
     */
    public boolean drain() throws InterruptedException {
        drain.begin();
        return drain.awaitIdle(Duration.ofSeconds(config.shutdownGraceSeconds()));
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
