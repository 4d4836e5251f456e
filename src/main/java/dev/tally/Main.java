package dev.tally;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.api.Api;
import dev.tally.config.TallyConfig;
import dev.tally.console.Console;
import dev.tally.ops.BatchedLines;
import dev.tally.ops.Housekeeping;
import dev.tally.ops.Operations;
import dev.tally.ops.OperationsConfig;
import dev.tally.storage.Database;
import dev.tally.webhooks.Dispatcher;
import dev.tally.webhooks.DispatcherSettings;
import dev.tally.webhooks.Retention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** Starts Tally: configuration from the environment, database, admin bootstrap, HTTP server. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        TallyConfig config = TallyConfig.fromEnvironment(System.getenv());
        OperationsConfig operationsConfig = OperationsConfig.fromEnvironment(System.getenv());
        Database database = Database.open(config.jdbcUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize());
        Tally tally = new Tally(database, Clock.systemUTC(), config.usageLanes(),
                Duration.ofSeconds(config.idempotencyLeaseSeconds()), config.usageQueueMax(),
                Duration.ofMillis(config.requestTimeoutMillis()));
        tally.bootstrapAdmin(config);
        // The access log's lines reach standard output in batches (BatchedLines), flushed below.
        PrintStream accessLog = new PrintStream(new BatchedLines(new FileOutputStream(FileDescriptor.out)), false,
                StandardCharsets.UTF_8);
        Operations operations = new Operations(tally, operationsConfig, accessLog);
        ServerBuilder builder = Server.builder();
        operations.listen(builder, config.httpPort());
        configureServices(builder, tally, operations);
        Server server = builder.build();
        Server management = operations.managementServer(operationsConfig.managementPort());
        Housekeeping housekeeping = new Housekeeping();
        housekeeping.flushEvery100Millis(accessLog);
        housekeeping.purgeEvery(Duration.ofMinutes(1), Duration.ofMinutes(60), () -> purgeIdempotencyKeys(tally));
        Retention webhookRetention = tally.webhooks().retention(Retention.fromEnvironment(System.getenv()));
        housekeeping.purgeEvery(Duration.ofMinutes(2), Duration.ofMinutes(10), () -> purgeWebhookHistory(webhookRetention));
        Dispatcher webhookDispatcher = tally.webhooks().dispatcher(DispatcherSettings.DEFAULTS).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            housekeeping.close();
            shutDown(operations, server, management, webhookDispatcher, tally, database, accessLog);
        }, "tally-shutdown"));
        server.start().join();
        management.start().join();
        LOG.info("Tally serves on port {}{}, management on port {} ({})", server.activeLocalPort(),
                operationsConfig.tlsCertificateFile().isPresent() ? " (HTTPS)" : "", management.activeLocalPort(),
                config.databaseUrl().isPresent() ? "external database" : "embedded H2 under " + config.dataDirectory());
    }

    /**
     * SIGTERM (DESIGN §15): /ready turns 503 on both ports, the API server refuses new requests with 503 and
     * waits for those in flight (up to TALLY_SHUTDOWN_GRACE_SECONDS), then the usage lanes stop and the pool
     * closes. The process exits 0: a shutdown asked for and completed is not a failure (the JVM's own exit
     * status after a signal would be 143).
     */
    private static void shutDown(Operations operations, Server server, Server management, Dispatcher webhooks,
                                 Tally tally, Database database, PrintStream accessLog) {
        try {
            LOG.info("Shutting down: refusing new requests, finishing those in flight");
            if (!operations.drain()) {
                LOG.warn("Requests still unanswered after TALLY_SHUTDOWN_GRACE_SECONDS; closing anyway");
            }
            server.stop().join();
            webhooks.close();
            tally.close();
            management.stop().join();
            database.close();
            operations.close();
            LOG.info("Shut down cleanly");
        } catch (RuntimeException | InterruptedException e) {
            LOG.error("Shutdown did not complete cleanly", e);
            accessLog.flush();
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        accessLog.flush();
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Idempotency keys past their 24 hours are deleted hourly, so the table stays small. */
    private static void purgeIdempotencyKeys(Tally tally) {
        try {
            int purged = tally.idempotency().purgeExpired();
            if (purged > 0) {
                LOG.info("Deleted {} expired idempotency keys", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not delete expired idempotency keys; will try again", e);
        }
    }

    /**
     * Webhook deliveries that ended, and their events, past TALLY_WEBHOOK_RETENTION_DAYS are deleted
     * every 10 minutes, 1,000 rows a transaction, until none is left (at most 10 million rows a run).
     */
    private static void purgeWebhookHistory(Retention retention) {
        try {
            Retention.Purged purged = retention.purge(10_000);
            if (purged.deliveries() + purged.events() > 0) {
                LOG.info("Deleted {} webhook deliveries and {} webhook events past their retention",
                        purged.deliveries(), purged.events());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not delete old webhook deliveries; will try again", e);
        }
    }

    /** The API's services alone, without the operations decorators. */
    public static void configureServices(ServerBuilder builder, Tally tally) {
        // One deadline per request (TALLY_REQUEST_TIMEOUT_MS); the usage lanes wait up to it too.
        builder.requestTimeout(tally.requestTimeout());
        Api.configure(builder, tally);
        Console.configure(builder, tally);
    }

    /** The production wiring of every service and of what operations add around them; tests call it too. */
    public static void configureServices(ServerBuilder builder, Tally tally, Operations operations) {
        configureServices(builder, tally);
        operations.decorate(builder);
    }
}
