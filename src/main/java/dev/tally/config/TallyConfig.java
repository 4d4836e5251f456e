package dev.tally.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an operator can set, read once from the environment at start. The names and
 * defaults are listed in the README's configuration table.
 */
public record TallyConfig(
        int httpPort,
        Path dataDirectory,
        Optional<String> databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        int usageLanes,
        int idempotencyLeaseSeconds,
        Optional<String> adminClientId,
        Optional<String> adminClientSecret,
        int usageQueueMax,
        int requestTimeoutMillis) {

    public static final int HTTP_PORT_DEFAULT = 8000;
    /**
     * Lanes when {@code TALLY_USAGE_LANES} is unset on a machine of 8 cores or more, and the lanes of
     * an embedded or test Tally, so that tests cross lanes whatever machine runs them.
     */
    public static final int USAGE_LANES_DEFAULT = 4;
    /** Requests that may wait in one usage lane; a lane drains this many in well under a second. */
    public static final int USAGE_QUEUE_MAX_DEFAULT = 1_000;
    /** Armeria's own default, now stated: what the docs say is what happens. */
    public static final int REQUEST_TIMEOUT_MILLIS_DEFAULT = 10_000;

    public TallyConfig {
        if (usageLanes < 1 || databasePoolSize <= usageLanes) {
            throw new IllegalArgumentException("TALLY_USAGE_LANES: " + usageLanes + " (expected: at least 1 and less than"
                    + " TALLY_DB_POOL_SIZE, " + databasePoolSize + ", so that other requests still get connections)");
        }
        if (usageQueueMax < 1) {
            throw new IllegalArgumentException("TALLY_USAGE_QUEUE_MAX: " + usageQueueMax + " (expected: >= 1)");
        }
        if (requestTimeoutMillis < 1) {
            throw new IllegalArgumentException("TALLY_REQUEST_TIMEOUT_MS: " + requestTimeoutMillis + " (expected: >= 1)");
        }
        if (adminClientSecret.isPresent() && adminClientId.isEmpty()) {
            throw new IllegalArgumentException("TALLY_ADMIN_CLIENT_SECRET is set without TALLY_ADMIN_CLIENT_ID");
        }
    }

    /**
     * The lanes a server starts with when {@code TALLY_USAGE_LANES} is unset: half its processors,
     * at least 1 and at most {@link #USAGE_LANES_DEFAULT}. More lanes commit more groups at once but
     * split the same arrivals into smaller groups, and each group pays per-account statements and a
     * commit; on 2 cores shared with PostgreSQL one lane served 1,000 accounts a third faster than
     * four, at about half the CPU per request (ADR 0002, addendum of 2026-12-04).
     */
    public static int usageLanesFor(int processors) {
        return Math.max(1, Math.min(USAGE_LANES_DEFAULT, processors / 2));
    }

    public static TallyConfig fromEnvironment(Map<String, String> variables) {
        Environment env = new Environment(variables);
        return new TallyConfig(
                env.integer("TALLY_HTTP_PORT", HTTP_PORT_DEFAULT),
                Path.of(env.text("TALLY_DATA_DIR", "data")),
                env.nonBlank("TALLY_DB_URL"),
                env.text("TALLY_DB_USER", ""),
                env.text("TALLY_DB_PASSWORD", ""),
                env.integer("TALLY_DB_POOL_SIZE", 16),
                env.integer("TALLY_USAGE_LANES", usageLanesFor(Runtime.getRuntime().availableProcessors())),
                env.integer("TALLY_IDEMPOTENCY_LEASE_SECONDS", 60),
                env.nonBlank("TALLY_ADMIN_CLIENT_ID"),
                env.nonBlank("TALLY_ADMIN_CLIENT_SECRET"),
                env.integer("TALLY_USAGE_QUEUE_MAX", USAGE_QUEUE_MAX_DEFAULT),
                env.integer("TALLY_REQUEST_TIMEOUT_MS", REQUEST_TIMEOUT_MILLIS_DEFAULT));
    }

    /** The JDBC URL to use: PostgreSQL when configured, else the embedded H2 file database. */
    public String jdbcUrl() {
        return databaseUrl.orElseGet(() -> "jdbc:h2:file:"
                + dataDirectory.toAbsolutePath().resolve("tally")
                // H2's own shutdown hook would close the database under requests still in flight at SIGTERM;
                // Tally closes its pool last instead (Main.shutDown), which closes the database.
                + ";LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE");
    }
}
