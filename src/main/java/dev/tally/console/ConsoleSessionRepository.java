package dev.tally.console;

import dev.tally.auth.Principal;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** SQL of the console_sessions table; sessions are keyed by the SHA-256 of their token. */
final class ConsoleSessionRepository {

    /** A stored session with the moment it was last used. */
    record StoredSession(ConsoleSession session, Instant lastSeenAt) {}

    void insert(Connection connection, String tokenSha256, String csrfToken, UUID serviceUserId, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO console_sessions (token_sha256, csrf_token, service_user_id, created_at, last_seen_at)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, tokenSha256);
            statement.setString(2, csrfToken);
            statement.setObject(3, serviceUserId);
            statement.setObject(4, Sql.timestamp(now));
            statement.setObject(5, Sql.timestamp(now));
            statement.executeUpdate();
        }
    }

    /** The session with this token hash, if its service user is still enabled. */
    Optional<StoredSession> find(Connection connection, String tokenSha256) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT s.csrf_token, s.last_seen_at, u.id, u.org_id, u.platform_admin"
                        + " FROM console_sessions s JOIN service_users u ON u.id = s.service_user_id"
                        + " WHERE s.token_sha256 = ? AND u.state = 'enabled'")) {
            statement.setString(1, tokenSha256);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Principal principal = new Principal(rows.getObject("id", UUID.class),
                        Optional.ofNullable(rows.getObject("org_id", UUID.class)), rows.getBoolean("platform_admin"));
                return Optional.of(new StoredSession(new ConsoleSession(principal, rows.getString("csrf_token")),
                        Sql.instant(rows, "last_seen_at")));
            }
        }
    }

    void touch(Connection connection, String tokenSha256, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE console_sessions SET last_seen_at = ? WHERE token_sha256 = ?")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setString(2, tokenSha256);
            statement.executeUpdate();
        }
    }

    void delete(Connection connection, String tokenSha256) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM console_sessions WHERE token_sha256 = ?")) {
            statement.setString(1, tokenSha256);
            statement.executeUpdate();
        }
    }

    /** Deletes every session idle since before {@code idleSince}; returns how many. */
    int deleteIdleSince(Connection connection, Instant idleSince) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM console_sessions WHERE last_seen_at < ?")) {
            statement.setObject(1, Sql.timestamp(idleSince));
            return statement.executeUpdate();
        }
    }
}
