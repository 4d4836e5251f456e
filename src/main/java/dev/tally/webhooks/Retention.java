package dev.tally.webhooks;

import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Deletes what the webhook tables no longer need once it is older than the retention
 * ({@code TALLY_WEBHOOK_RETENTION_DAYS}, 30 by default): deliveries that ended (delivered or failed)
 * that long ago, then events that were fanned out that long ago and have no delivery left. A
 * pending delivery, and so its event, is never deleted, whatever its age.
 *
 * <p>Work goes in bounded batches, each its own short transaction, so a large backlog never holds
 * locks for long. Several processes may purge at once: each batch locks its rows with {@code FOR
 * UPDATE SKIP LOCKED}, so they take disjoint rows, and a delete of a row already gone deletes nothing.
 */
public final class Retention {
    public static final Duration DEFAULT = Duration.ofDays(30);
    static final int BATCH = 1_000;

    private final Database database;
    private final Duration retention;
    private final Clock clock;
    private final int batch;

    Retention(Database database, Duration retention, Clock clock) {
        this(database, retention, clock, BATCH);
    }

    /** With another batch size: tests use tiny ones to see the bound work. */
    Retention(Database database, Duration retention, Clock clock, int batch) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention: " + retention + " (expected: > 0)");
        }
        this.database = database;
        this.retention = retention;
        this.clock = clock;
        this.batch = batch;
    }

    /** The retention from {@code TALLY_WEBHOOK_RETENTION_DAYS} (whole days, at least 1), else 30 days. */
    public static Duration fromEnvironment(Map<String, String> env) {
        String days = env.getOrDefault("TALLY_WEBHOOK_RETENTION_DAYS", "").trim();
        if (days.isEmpty()) {
            return DEFAULT;
        }
        try {
            long value = Long.parseLong(days);
            if (value >= 1 && value <= 36_500) {
                return Duration.ofDays(value);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("TALLY_WEBHOOK_RETENTION_DAYS: " + days + " (expected: whole days, 1 to 36500)");
    }

    /** What one purge deleted. */
    public record Purged(long deliveries, long events) {}

    /**
     * Deletes at most {@code maxBatches} batches of each kind; returns how many rows went. A purge
     * that stops at the bound leaves the rest to the next one.
     */
    public Purged purge(int maxBatches) {
        Instant cutoff = Times.now(clock).minus(retention);
        long deliveries = 0;
        for (int round = 0; round < maxBatches; round++) {
            int deleted = database.inTransaction(connection -> deleteEndedDeliveries(connection, cutoff));
            deliveries += deleted;
            if (deleted < this.batch) {
                break;
            }
        }
        long events = 0;
        for (int round = 0; round < maxBatches; round++) {
            int deleted = database.inTransaction(connection -> deleteUnreferencedEvents(connection, cutoff));
            events += deleted;
            if (deleted < this.batch) {
                break;
            }
        }
        return new Purged(deliveries, events);
    }

    /** Delivered and failed rows whose outcome is older than the cutoff (next_attempt_at is the outcome's time). */
    private int deleteEndedDeliveries(Connection connection, Instant cutoff) throws SQLException {
        List<UUID[]> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT webhook_id, event_id"
                + " FROM webhook_deliveries WHERE state IN ('delivered', 'failed') AND next_attempt_at < ?"
                + " AND updated_at < ? LIMIT ? FOR UPDATE SKIP LOCKED")) {
            statement.setObject(1, Sql.timestamp(cutoff));
            statement.setObject(2, Sql.timestamp(cutoff));
            statement.setInt(3, batch);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(new UUID[] {rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)});
                }
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM webhook_deliveries"
                + " WHERE webhook_id = ? AND event_id = ? AND state IN ('delivered', 'failed')")) {
            for (UUID[] key : keys) {
                statement.setObject(1, key[0]);
                statement.setObject(2, key[1]);
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return keys.size();
    }

    /**
     * Fanned-out events older than the cutoff that no delivery refers to any more. An event not yet
     * fanned out is kept: its deliveries are still to be made.
     */
    private int deleteUnreferencedEvents(Connection connection, Instant cutoff) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT e.id FROM webhook_events e"
                + " WHERE e.fanned_out = TRUE AND e.created_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)"
                + " LIMIT ? FOR UPDATE SKIP LOCKED")) {
            statement.setObject(1, Sql.timestamp(cutoff));
            statement.setInt(2, batch);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM webhook_events e WHERE id = ?"
                + " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)")) {
            for (UUID id : ids) {
                statement.setObject(1, id);
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return ids.size();
    }
}
