package dev.tally.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/**
 * The connection pool and the one way to run a use case: {@link #inTransaction}, which commits
 * everything the work did or nothing.
 *
 * <p>This is the one place that decides retries on the write path. Work the database aborted only
 * because of a conflict with a concurrent transaction (serialization failure 40001, deadlock 40P01)
 * runs again, up to {@value #ATTEMPTS_MAX} times with a short jittered backoff, as distributed
 * PostgreSQL-wire databases require; nothing else is retried here or anywhere above (a lost
 * connection is not: a commit whose answer was lost may have happened, so the caller is told to
 * retry with its ids or Idempotency-Key). Work recovers from a statement the database refuses with
 * {@link Savepoints}, inside its transaction; see {@link TransactionWork} for what work may do.
 */
public final class Database implements AutoCloseable {
    private static final Set<String> RETRYABLE_SQL_STATES = Set.of("40001", "40P01");
    private static final int ATTEMPTS_MAX = 8;

    private final HikariDataSource dataSource;
    private final BatchWrites batchWrites;
    private final RetryPolicy<Object> conflictRetry;

    private Database(HikariDataSource dataSource, BatchWrites batchWrites) {
        this.dataSource = dataSource;
        this.batchWrites = batchWrites;
        this.conflictRetry = RetryPolicy.builder()
                .handleIf(Database::isTransientConflict)
                .withMaxAttempts(ATTEMPTS_MAX)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(50))
                .withJitter(0.5)
                .build();
    }

    /** Opens the pool and brings the schema up to date. */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        config.setPoolName("tally");
        if (isPostgres(jdbcUrl)) {
            // Sends a batch of inserts as multi-row statements: one round trip for a 1,000-usage batch.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .loggers("slf4j")
                    .dataSource(dataSource)
                    .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor(jdbcUrl))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, isPostgres(jdbcUrl) ? BatchWrites.COPY_LARGE : BatchWrites.INSERT);
    }

    /** The folder of migrations that only this kind of database runs, beside the common ones. */
    private static String vendor(String jdbcUrl) {
        return isPostgres(jdbcUrl) ? "postgresql" : "h2";
    }

    private static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** How batches of rows are written on this database: COPY on PostgreSQL (see {@link CopyRows}). */
    public BatchWrites batchWrites() {
        return batchWrites;
    }

    /** Publishes the pool's meters (connections active, idle, pending; acquire time) to {@code registry}; once. */
    public void bindMetrics(MeterRegistry registry) {
        dataSource.setMetricRegistry(registry);
    }

    /** Runs the work in one transaction and commits; the work may run more than once (see {@link TransactionWork}). */
    public <T> T inTransaction(TransactionWork<T> work) {
        return Failsafe.with(conflictRetry).get(() -> runOnce(work));
    }

    private <T> T runOnce(TransactionWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Throwable failure) {
                rollbackQuietly(connection, failure);
                throw failure;
            }
        }
    }

    /**
     * Runs work of one statement without a transaction around it (autocommit): no BEGIN before it,
     * no COMMIT round trip after. One statement sees one snapshot of the database however it is
     * run, so for a single read this answers exactly what {@link #inTransaction} would. Work that
     * runs more than one statement must not use this: each would see its own snapshot. Retried
     * on a conflict as {@link #inTransaction} is.
     */
    public <T> T inOneStatement(TransactionWork<T> work) {
        return Failsafe.with(conflictRetry).get(() -> runAutocommitted(work));
    }

    private <T> T runAutocommitted(TransactionWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // The pool sets autocommit back to its default (off) when the connection returns.
            connection.setAutoCommit(true);
            return work.run(connection);
        }
    }

    /** True when the database answers a trivial query: what {@code /ready} reports. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    private static boolean isTransientConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && RETRYABLE_SQL_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
