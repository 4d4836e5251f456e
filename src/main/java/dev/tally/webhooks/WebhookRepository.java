package dev.tally.webhooks;

import dev.tally.common.Metadata;
import dev.tally.storage.Sql;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The webhooks table. */
final class WebhookRepository {
    private static final String COLUMNS = "id, url, description, subscribed_events, headers, state, metadata,"
            + " secret_id, secret, created_at, updated_at";

    void insert(Connection connection, Webhook webhook, String createdBy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhooks (" + COLUMNS
                + ", created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, webhook.id());
            int next = bindSpec(statement, 2, webhook.spec());
            statement.setString(next, webhook.secretId());
            statement.setString(next + 1, webhook.secret());
            statement.setObject(next + 2, Sql.timestamp(webhook.createdAt()));
            statement.setObject(next + 3, Sql.timestamp(webhook.updatedAt()));
            statement.setString(next + 4, createdBy);
            statement.executeUpdate();
        }
    }

    /** @return false when there is no such webhook */
    boolean update(Connection connection, UUID id, WebhookSpec spec, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhooks SET url = ?,"
                + " description = ?, subscribed_events = ?, headers = ?, state = ?, metadata = ?, updated_at = ?"
                + " WHERE id = ?")) {
            int next = bindSpec(statement, 1, spec);
            statement.setObject(next, Sql.timestamp(now));
            statement.setObject(next + 1, id);
            return statement.executeUpdate() == 1;
        }
    }

    /** @return false when there is no such webhook; its deliveries go with it */
    boolean delete(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM webhooks WHERE id = ?")) {
            statement.setObject(1, id);
            return statement.executeUpdate() == 1;
        }
    }

    Optional<Webhook> find(Connection connection, UUID id) throws SQLException {
        List<Webhook> found = query(connection, "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<Webhook> list(Connection connection) throws SQLException {
        return query(connection, "SELECT " + COLUMNS + " FROM webhooks ORDER BY created_at, id", null);
    }

    List<Webhook> listEnabled(Connection connection) throws SQLException {
        return query(connection, "SELECT " + COLUMNS + " FROM webhooks WHERE state = 'enabled'"
                + " ORDER BY created_at, id", null);
    }

    private static int bindSpec(PreparedStatement statement, int first, WebhookSpec spec) throws SQLException {
        statement.setString(first, spec.url().toString());
        statement.setString(first + 1, spec.description());
        statement.setString(first + 2, Json.write(spec.subscribedEvents().stream().map(WebhookAction::wireName)
                .toList()));
        statement.setString(first + 3, Json.write(spec.headers()));
        statement.setString(first + 4, spec.state());
        statement.setString(first + 5, spec.metadata().json());
        return first + 6;
    }

    private static List<Webhook> query(Connection connection, String sql, UUID key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (key != null) {
                statement.setObject(1, key);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Webhook> webhooks = new ArrayList<>();
                while (rows.next()) {
                    webhooks.add(read(rows));
                }
                return webhooks;
            }
        }
    }

    private static Webhook read(ResultSet rows) throws SQLException {
        WebhookSpec spec = new WebhookSpec(URI.create(rows.getString("url")), rows.getString("description"),
                Json.readStrings(rows.getString("subscribed_events")).stream()
                        .map(name -> WebhookAction.fromWireName("subscribed_events", name)).toList(),
                Json.readStringMap(rows.getString("headers")), "enabled".equals(rows.getString("state")),
                new Metadata(rows.getString("metadata")));
        return new Webhook(rows.getObject("id", UUID.class), spec, rows.getString("secret_id"),
                rows.getString("secret"), Sql.instant(rows, "created_at"), Sql.instant(rows, "updated_at"));
    }
}
