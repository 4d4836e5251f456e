package dev.tally.ops;

import dev.tally.storage.Database;
import dev.tally.storage.Sql;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;

/**
 * Gauges read from the database at each scrape (DESIGN §15): the webhook backlog
 * ({@code tally_webhook_backlog_deliveries}: deliveries not yet made), the age of the oldest of them
 * ({@code tally_webhook_oldest_undelivered_age_seconds}), deliveries given up
 * ({@code tally_webhook_failed_deliveries}) and live holds ({@code tally_holds_active}). They are
 * the database's view, the same from every process; a scrape while the database is down shows NaN.
 */
final class BacklogMeters {
    private static final String PENDING =
            "SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM webhook_deliveries WHERE state = 'pending'";
    private static final String FAILED = "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'failed'";
    private static final String HOLDS = "SELECT COUNT(*) FROM billing_holds WHERE state = 'held' AND expires_at > ?";

    private final Database database;
    private final Clock clock;

    private BacklogMeters(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Gauges hold their object weakly unless told otherwise; nothing else keeps these meters alive. */
    static void bind(MeterRegistry registry, Database database, Clock clock) {
        BacklogMeters meters = new BacklogMeters(database, clock);
        Gauge.builder("tally.webhook.backlog", meters, m -> m.pending()[0])
                .strongReference(true)
                .description("Webhook deliveries not yet made").baseUnit("deliveries").register(registry);
        Gauge.builder("tally.webhook.oldest.undelivered.age", meters, m -> m.pending()[1])
                .strongReference(true)
                .description("Age of the oldest webhook delivery not yet made").baseUnit("seconds").register(registry);
        Gauge.builder("tally.webhook.failed", meters, BacklogMeters::failed)
                .strongReference(true)
                .description("Webhook deliveries given up after their retry window").baseUnit("deliveries")
                .register(registry);
        Gauge.builder("tally.holds.active", meters, BacklogMeters::activeHolds)
                .strongReference(true)
                .description("Holds reserving credits now").baseUnit("holds").register(registry);
    }

    /** {count, age in seconds of the oldest (0 when none)} of the pending deliveries. */
    private double[] pending() {
        try {
            return database.inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(PENDING);
                     ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long pending = rows.getLong("pending");
                    double age = pending == 0 ? 0
                            : Math.max(0, (clock.millis() - Sql.instant(rows, "oldest").toEpochMilli()) / 1000.0);
                    return new double[] {pending, age};
                }
            });
        } catch (RuntimeException unreachable) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private double failed() {
        return count(FAILED, null);
    }

    private double activeHolds() {
        return count(HOLDS, Instant.now(clock));
    }

    private double count(String sql, Instant now) {
        try {
            return database.inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (now != null) {
                        statement.setObject(1, Sql.timestamp(now));
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        return (double) rows.getLong(1);
                    }
                }
            });
        } catch (RuntimeException unreachable) {
            return Double.NaN;
        }
    }
}
