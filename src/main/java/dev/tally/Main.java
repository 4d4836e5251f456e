package dev.tally;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.api.Api;
import dev.tally.config.TallyConfig;
import dev.tally.storage.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/** Starts Tally: configuration from the environment, database, admin bootstrap, HTTP server. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        TallyConfig config = TallyConfig.fromEnvironment(System.getenv());
        Database database = Database.open(config.jdbcUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize());
        Tally tally = new Tally(database, Clock.systemUTC(), config.usageLanes(),
                Duration.ofSeconds(config.idempotencyLeaseSeconds()), config.usageQueueMax(),
                Duration.ofMillis(config.requestTimeoutMillis()));
        tally.bootstrapAdmin(config);
        ServerBuilder builder = Server.builder().http(config.httpPort());
        configureServices(builder, tally);
        Server server = builder.build();
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tally-housekeeping").daemon().factory());
        housekeeping.scheduleWithFixedDelay(() -> purgeIdempotencyKeys(tally), 1, 60, TimeUnit.MINUTES);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            housekeeping.shutdownNow();
            server.stop().join();
            tally.close();
            database.close();
        }, "tally-shutdown"));
        server.start().join();
        LOG.info("Tally serves on port {} ({})", server.activeLocalPort(),
                config.databaseUrl().isPresent() ? "external database" : "embedded H2 under " + config.dataDirectory());
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

    /** The production wiring of every service; tests call it too. */
    public static void configureServices(ServerBuilder builder, Tally tally) {
        // One deadline per request (TALLY_REQUEST_TIMEOUT_MS); the usage lanes wait up to it too.
        builder.requestTimeout(tally.requestTimeout());
        Api.configure(builder, tally);
    }
}
