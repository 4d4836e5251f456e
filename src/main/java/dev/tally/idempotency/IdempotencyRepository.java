package dev.tally.idempotency;

import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

final class IdempotencyRepository {

    /** Claims the key for a request; fails with a unique violation when the key is taken. */
    void insertClaim(Connection connection, String principal, String key, String requestSha256, Instant now,
                     Instant expiresAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO idempotency_keys (principal, idempotency_key, request_sha256, state, claimed_at, expires_at)"
                        + " VALUES (?, ?, ?, 'in_flight', ?, ?)")) {
            statement.setString(1, principal);
            statement.setString(2, key);
            statement.setString(3, requestSha256);
            statement.setObject(4, Sql.timestamp(now));
            statement.setObject(5, Sql.timestamp(expiresAt));
            statement.executeUpdate();
        }
    }

    Optional<StoredKey> find(Connection connection, String principal, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT request_sha256, state, response_status, response_body, expires_at"
                        + " FROM idempotency_keys WHERE principal = ? AND idempotency_key = ?")) {
            statement.setString(1, principal);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredKey(rows.getString(1), "done".equals(rows.getString(2)), rows.getInt(3),
                        rows.getString(4), Sql.instant(rows, "expires_at")));
            }
        }
    }

    /**
     * Takes over an in-flight claim whose lease ran out (its process died, most likely).
     * True when this caller now holds it; the condition makes two takers exclusive.
     */
    boolean takeOver(Connection connection, String principal, String key, Instant claimedBefore, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE idempotency_keys SET claimed_at = ? WHERE principal = ? AND idempotency_key = ?"
                        + " AND state = 'in_flight' AND claimed_at < ?")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setString(2, principal);
            statement.setString(3, key);
            statement.setObject(4, Sql.timestamp(claimedBefore));
            return statement.executeUpdate() == 1;
        }
    }

    /** Records the answer if the claim made at {@code claimedAt} is still the key's; true if it was. */
    boolean recordResponse(Connection connection, String principal, String key, Instant claimedAt, int status,
                           String body) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ?"
                        + " WHERE principal = ? AND idempotency_key = ? AND state = 'in_flight' AND claimed_at = ?")) {
            statement.setInt(1, status);
            statement.setString(2, body);
            statement.setString(3, principal);
            statement.setString(4, key);
            statement.setObject(5, Sql.timestamp(claimedAt));
            return statement.executeUpdate() == 1;
        }
    }

    /** Releases the claim made at {@code claimedAt}, if it is still the key's. */
    boolean deleteClaim(Connection connection, String principal, String key, Instant claimedAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM idempotency_keys WHERE principal = ? AND idempotency_key = ?"
                        + " AND state = 'in_flight' AND claimed_at = ?")) {
            statement.setString(1, principal);
            statement.setString(2, key);
            statement.setObject(3, Sql.timestamp(claimedAt));
            return statement.executeUpdate() == 1;
        }
    }

    /** Deletes the key if it has expired (and not been claimed again meanwhile). */
    boolean deleteExpired(Connection connection, String principal, String key, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM idempotency_keys WHERE principal = ? AND idempotency_key = ? AND expires_at < ?")) {
            statement.setString(1, principal);
            statement.setString(2, key);
            statement.setObject(3, Sql.timestamp(now));
            return statement.executeUpdate() == 1;
        }
    }

    int deleteExpired(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM idempotency_keys WHERE expires_at < ?")) {
            statement.setObject(1, Sql.timestamp(now));
            return statement.executeUpdate();
        }
    }
}
