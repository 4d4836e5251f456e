package dev.tally.webhooks;

import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The billing_alerts table. Every write happens under the account's row lock (taken by the
 * billing change or by the alerts update), which is why an update-then-insert cannot race.
 */
final class AlertRepository {

    /** The alerts of each account that has a row; accounts without one have {@link AccountAlerts#NONE}. */
    Map<UUID, AccountAlerts> find(Connection connection, Collection<UUID> accountIds) throws SQLException {
        Map<UUID, AccountAlerts> found = new HashMap<>();
        if (accountIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT account_id, balance_thresholds,"
                + " depleted FROM billing_alerts WHERE account_id IN ("
                + String.join(", ", Collections.nCopies(accountIds.size(), "?")) + ")")) {
            int index = 1;
            for (UUID id : accountIds) {
                statement.setObject(index++, id);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getObject("account_id", UUID.class), new AccountAlerts(
                            Json.readLongs(rows.getString("balance_thresholds")), rows.getBoolean("depleted")));
                }
            }
        }
        return found;
    }

    void setThresholds(Connection connection, UUID accountId, List<Long> thresholds, Instant now)
            throws SQLException {
        String json = Json.write(thresholds);
        if (update(connection, "UPDATE billing_alerts SET balance_thresholds = ?, updated_at = ? WHERE account_id = ?",
                json, now, accountId) == 0) {
            insert(connection, accountId, json, false, now);
        }
    }

    void setDepleted(Connection connection, UUID accountId, boolean depleted, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE billing_alerts SET depleted = ?, updated_at = ? WHERE account_id = ?")) {
            statement.setBoolean(1, depleted);
            statement.setObject(2, Sql.timestamp(now));
            statement.setObject(3, accountId);
            if (statement.executeUpdate() == 0 && depleted) {
                insert(connection, accountId, "[]", true, now);
            }
        }
    }

    /** Re-arms balance.depleted after the balance rose; one statement, a no-op for most accounts. */
    void clearDepleted(Connection connection, UUID accountId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE billing_alerts SET depleted = FALSE,"
                + " updated_at = ? WHERE account_id = ? AND depleted = TRUE")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setObject(2, accountId);
            statement.executeUpdate();
        }
    }

    private static int update(Connection connection, String sql, String json, Instant now, UUID accountId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, json);
            statement.setObject(2, Sql.timestamp(now));
            statement.setObject(3, accountId);
            return statement.executeUpdate();
        }
    }

    private static void insert(Connection connection, UUID accountId, String thresholdsJson, boolean depleted,
                               Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO billing_alerts"
                + " (account_id, balance_thresholds, depleted, updated_at) VALUES (?, ?, ?, ?)")) {
            statement.setObject(1, accountId);
            statement.setString(2, thresholdsJson);
            statement.setBoolean(3, depleted);
            statement.setObject(4, Sql.timestamp(now));
            statement.executeUpdate();
        }
    }
}
