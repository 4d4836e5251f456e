package dev.tally.webhooks;

import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The webhook_events table: written inside billing transactions, read by dispatchers. */
final class OutboxRepository {

    /** Adds events in the caller's transaction, in one batch. */
    void insert(Connection connection, List<OutboxEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO webhook_events (id, action, data, fanned_out, created_at) VALUES (?, ?, ?, FALSE, ?)")) {
            for (OutboxEvent event : events) {
                statement.setObject(1, event.id());
                statement.setString(2, event.action().wireName());
                statement.setString(3, event.dataJson());
                statement.setObject(4, Sql.timestamp(event.createdAt()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * Locks up to {@code limit} events that have no deliveries yet, oldest first. Rows another
     * dispatcher holds are skipped, so two dispatchers fan out disjoint events.
     */
    List<OutboxEvent> lockUnfannedOut(Connection connection, int limit) throws SQLException {
        // With the data: the dispatcher sends at once what it has room for, without reading them again.
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, action, data, created_at"
                + " FROM webhook_events WHERE fanned_out = FALSE ORDER BY created_at, id LIMIT ?"
                + " FOR UPDATE SKIP LOCKED")) {
            statement.setInt(1, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<OutboxEvent> events = new ArrayList<>();
                while (rows.next()) {
                    events.add(new OutboxEvent(rows.getObject("id", UUID.class),
                            WebhookAction.fromWireName("action", rows.getString("action")), rows.getString("data"),
                            Sql.instant(rows, "created_at")));
                }
                return events;
            }
        }
    }

    void markFannedOut(Connection connection, List<OutboxEvent> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE webhook_events SET fanned_out = TRUE WHERE id = ?")) {
            for (OutboxEvent event : events) {
                statement.setObject(1, event.id());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The events with these ids, data included. */
    Map<UUID, OutboxEvent> findAll(Connection connection, Collection<UUID> ids) throws SQLException {
        Map<UUID, OutboxEvent> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, action, data, created_at"
                + " FROM webhook_events WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
            int index = 1;
            for (UUID id : ids) {
                statement.setObject(index++, id);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    found.put(id, new OutboxEvent(id, WebhookAction.fromWireName("action", rows.getString("action")),
                            rows.getString("data"), Sql.instant(rows, "created_at")));
                }
            }
        }
        return found;
    }
}
