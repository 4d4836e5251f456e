package dev.tally.webhooks;

import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The webhook_deliveries table: the dispatchers' work queue and the delivery log. */
final class DeliveryRepository {
    /** A delivery a dispatcher holds until {@code claimId}'s lease ends. */
    record Claim(UUID webhookId, UUID eventId, UUID claimId, int attempts, Instant giveUpAt) {}

    /** Where a page of the log continues: the last row of the previous page. */
    record PagePosition(Instant createdAt, UUID eventId) {}

    /**
     * Makes each event's deliveries, one per subscribed webhook. The first {@code claimable} are
     * made already claimed by the caller until {@code leaseUntil} (returned, for it to send at
     * once, saving a claim's read and write per delivery); the others are due now for any dispatcher.
     */
    List<Claim> create(Connection connection, List<OutboxEvent> events, List<Webhook> webhooks, Instant now,
                       Instant giveUpAt, int claimable, Instant leaseUntil) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO webhook_deliveries"
                + " (webhook_id, event_id, state, attempts, next_attempt_at, give_up_at, claim_id, last_status,"
                + " last_error, created_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?, ?, 0, '', ?, ?)")) {
            int rows = 0;
            for (OutboxEvent event : events) {
                for (Webhook webhook : webhooks) {
                    if (webhook.spec().subscribesTo(event.action())) {
                        Claim claim = claims.size() < claimable
                                ? new Claim(webhook.id(), event.id(), UUID.randomUUID(), 0, giveUpAt) : null;
                        statement.setObject(1, webhook.id());
                        statement.setObject(2, event.id());
                        statement.setObject(3, Sql.timestamp(claim != null ? leaseUntil : now));
                        statement.setObject(4, Sql.timestamp(giveUpAt));
                        statement.setObject(5, claim != null ? claim.claimId() : null);
                        statement.setObject(6, Sql.timestamp(event.createdAt()));
                        statement.setObject(7, Sql.timestamp(now));
                        statement.addBatch();
                        rows++;
                        if (claim != null) {
                            claims.add(claim);
                        }
                    }
                }
            }
            if (rows > 0) {
                statement.executeBatch();
            }
        }
        return claims;
    }

    /**
     * Claims up to {@code limit} due deliveries of enabled webhooks: each gets a new claim id and
     * is not due again before {@code leaseUntil}. Rows locked by another dispatcher's claim are
     * skipped; a row whose lease ran out (its dispatcher died) is due again.
     */
    List<Claim> claimDue(Connection connection, int limit, Instant now, Instant leaseUntil) throws SQLException {
        List<Claim> due = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT webhook_id, event_id, attempts,"
                + " give_up_at FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?"
                + " AND webhook_id IN (SELECT id FROM webhooks WHERE state = 'enabled')"
                + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(new Claim(rows.getObject("webhook_id", UUID.class), rows.getObject("event_id", UUID.class),
                            UUID.randomUUID(), rows.getInt("attempts"), Sql.instant(rows, "give_up_at")));
                }
            }
        }
        if (due.isEmpty()) {
            return due;
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_deliveries"
                + " SET claim_id = ?, next_attempt_at = ? WHERE webhook_id = ? AND event_id = ?")) {
            for (Claim claim : due) {
                statement.setObject(1, claim.claimId());
                statement.setObject(2, Sql.timestamp(leaseUntil));
                statement.setObject(3, claim.webhookId());
                statement.setObject(4, claim.eventId());
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return due;
    }

    /**
     * Records an attempt's outcome, if the claim still holds (a claim whose lease ran out may have
     * passed to another dispatcher, whose outcome then counts).
     */
    void record(Connection connection, Claim claim, Delivery.State state, Instant nextAttemptAt, int status,
                String error, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_deliveries SET state = ?,"
                + " attempts = attempts + 1, next_attempt_at = ?, claim_id = NULL, last_status = ?, last_error = ?,"
                + " updated_at = ? WHERE webhook_id = ? AND event_id = ? AND claim_id = ?")) {
            statement.setString(1, state.storedName());
            statement.setObject(2, Sql.timestamp(nextAttemptAt));
            statement.setInt(3, status);
            statement.setString(4, error);
            statement.setObject(5, Sql.timestamp(now));
            statement.setObject(6, claim.webhookId());
            statement.setObject(7, claim.eventId());
            statement.setObject(8, claim.claimId());
            statement.executeUpdate();
        }
    }

    /** Newest first, {@code limit} rows after {@code after}, of one state or all. */
    List<Delivery> list(Connection connection, UUID webhookId, Optional<Delivery.State> state,
                        Optional<PagePosition> after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT d.webhook_id, d.event_id, e.action, d.state, d.attempts,"
                + " d.last_status, d.last_error, d.next_attempt_at, d.created_at, d.updated_at"
                + " FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.webhook_id = ?");
        state.ifPresent(ignored -> sql.append(" AND d.state = ?"));
        after.ifPresent(ignored -> sql.append(" AND (d.created_at < ? OR (d.created_at = ? AND d.event_id < ?))"));
        sql.append(" ORDER BY d.created_at DESC, d.event_id DESC LIMIT ?");
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            statement.setObject(index++, webhookId);
            if (state.isPresent()) {
                statement.setString(index++, state.get().storedName());
            }
            if (after.isPresent()) {
                statement.setObject(index++, Sql.timestamp(after.get().createdAt()));
                statement.setObject(index++, Sql.timestamp(after.get().createdAt()));
                statement.setObject(index++, after.get().eventId());
            }
            statement.setInt(index, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<Delivery> deliveries = new ArrayList<>();
                while (rows.next()) {
                    deliveries.add(new Delivery(rows.getObject("webhook_id", UUID.class),
                            rows.getObject("event_id", UUID.class), rows.getString("action"),
                            Delivery.State.fromStoredName(rows.getString("state")), rows.getInt("attempts"),
                            rows.getInt("last_status"), rows.getString("last_error"),
                            Sql.instant(rows, "next_attempt_at"), Sql.instant(rows, "created_at"),
                            Sql.instant(rows, "updated_at")));
                }
                return deliveries;
            }
        }
    }

    /**
     * Makes a delivery due now, with a fresh retry window, unless a dispatcher holds it right now
     * (its attempt is in flight: sending again at once would be a concurrent delivery).
     *
     * @return whether the delivery was rescheduled
     */
    boolean redeliver(Connection connection, UUID webhookId, UUID eventId, Instant now, Instant giveUpAt)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE webhook_deliveries"
                + " SET state = 'pending', next_attempt_at = ?, give_up_at = ?, claim_id = NULL, updated_at = ?"
                + " WHERE webhook_id = ? AND event_id = ? AND (claim_id IS NULL OR next_attempt_at <= ?)")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setObject(2, Sql.timestamp(giveUpAt));
            statement.setObject(3, Sql.timestamp(now));
            statement.setObject(4, webhookId);
            statement.setObject(5, eventId);
            statement.setObject(6, Sql.timestamp(now));
            return statement.executeUpdate() == 1;
        }
    }

    boolean exists(Connection connection, UUID webhookId, UUID eventId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM webhook_deliveries WHERE webhook_id = ? AND event_id = ?")) {
            statement.setObject(1, webhookId);
            statement.setObject(2, eventId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
