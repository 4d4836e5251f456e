package dev.tally.auth;

import dev.tally.common.Metadata;
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

/** Service users and their credentials. */
public final class ServiceUserRepository {

    public void insert(Connection connection, ServiceUser user, String createdBy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO service_users (id, org_id, title, state, metadata, platform_admin, created_by,"
                        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, user.id());
            statement.setObject(2, user.organizationId().orElse(null));
            statement.setString(3, user.title());
            statement.setString(4, user.state());
            statement.setString(5, user.metadata().json());
            statement.setBoolean(6, user.platformAdmin());
            statement.setString(7, createdBy);
            statement.setObject(8, Sql.timestamp(user.createdAt()));
            statement.setObject(9, Sql.timestamp(user.updatedAt()));
            statement.executeUpdate();
        }
    }

    private static final String USER_COLUMNS = "id, org_id, title, state, metadata, platform_admin, created_at, updated_at";

    public Optional<ServiceUser> findById(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + USER_COLUMNS + " FROM service_users WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(serviceUser(rows)) : Optional.empty();
            }
        }
    }

    /** The organization's service users that are not deleted, oldest first; {@code state} narrows them. */
    public List<ServiceUser> listByOrganization(Connection connection, UUID orgId, Optional<String> state)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + USER_COLUMNS + " FROM service_users WHERE org_id = ? AND state <> '" + ServiceUser.DELETED
                        + "'" + (state.isPresent() ? " AND state = ?" : "") + " ORDER BY created_at, id")) {
            statement.setObject(1, orgId);
            if (state.isPresent()) {
                statement.setString(2, state.get());
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<ServiceUser> users = new ArrayList<>();
                while (rows.next()) {
                    users.add(serviceUser(rows));
                }
                return users;
            }
        }
    }

    /** Marks the user deleted and removes its credentials; false when it was already deleted. */
    public boolean markDeleted(Connection connection, UUID id, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE service_users SET state = '" + ServiceUser.DELETED + "', updated_at = ?"
                        + " WHERE id = ? AND state <> '" + ServiceUser.DELETED + "'")) {
            statement.setObject(1, Sql.timestamp(now));
            statement.setObject(2, id);
            if (statement.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM service_user_credentials WHERE service_user_id = ?")) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
        return true;
    }

    /** The user's credentials, oldest first. */
    public List<Credential> listCredentials(Connection connection, UUID serviceUserId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, service_user_id, title, secret_sha256, created_at FROM service_user_credentials"
                        + " WHERE service_user_id = ? ORDER BY created_at, id")) {
            statement.setObject(1, serviceUserId);
            try (ResultSet rows = statement.executeQuery()) {
                List<Credential> credentials = new ArrayList<>();
                while (rows.next()) {
                    credentials.add(new Credential(rows.getString("id"), rows.getObject("service_user_id", UUID.class),
                            rows.getString("title"), rows.getString("secret_sha256"), Sql.instant(rows, "created_at")));
                }
                return credentials;
            }
        }
    }

    /** Deletes one of the user's credentials; false when the user has no credential with that id. */
    public boolean deleteCredential(Connection connection, UUID serviceUserId, String credentialId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM service_user_credentials WHERE id = ? AND service_user_id = ?")) {
            statement.setString(1, credentialId);
            statement.setObject(2, serviceUserId);
            return statement.executeUpdate() == 1;
        }
    }

    private static ServiceUser serviceUser(ResultSet rows) throws SQLException {
        return new ServiceUser(
                rows.getObject("id", UUID.class),
                Optional.ofNullable(rows.getObject("org_id", UUID.class)),
                rows.getString("title"),
                rows.getString("state"),
                new Metadata(rows.getString("metadata")),
                rows.getBoolean("platform_admin"),
                Sql.instant(rows, "created_at"),
                Sql.instant(rows, "updated_at"));
    }

    public void insertCredential(Connection connection, Credential credential, String createdBy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO service_user_credentials (id, service_user_id, title, secret_sha256, created_by, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, credential.id());
            statement.setObject(2, credential.serviceUserId());
            statement.setString(3, credential.title());
            statement.setString(4, credential.secretSha256());
            statement.setString(5, createdBy);
            statement.setObject(6, Sql.timestamp(credential.createdAt()));
            statement.executeUpdate();
        }
    }

    public void updateCredentialSecret(Connection connection, String credentialId, String secretSha256)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE service_user_credentials SET secret_sha256 = ? WHERE id = ?")) {
            statement.setString(1, secretSha256);
            statement.setString(2, credentialId);
            statement.executeUpdate();
        }
    }

    /** The enabled principal that holds the credential with this id, with the credential's hash. */
    public Optional<CredentialOwner> findOwnerByCredentialId(Connection connection, String credentialId)
            throws SQLException {
        return findOwner(connection, "c.id = ?", credentialId);
    }

    /** The enabled principal whose credential secret has this hash (for Bearer authentication). */
    public Optional<CredentialOwner> findOwnerBySecretHash(Connection connection, String secretSha256)
            throws SQLException {
        return findOwner(connection, "c.secret_sha256 = ?", secretSha256);
    }

    private Optional<CredentialOwner> findOwner(Connection connection, String condition, String key)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT u.id, u.org_id, u.platform_admin, c.secret_sha256"
                        + " FROM service_user_credentials c JOIN service_users u ON u.id = c.service_user_id"
                        + " WHERE " + condition + " AND u.state = '" + ServiceUser.ENABLED + "'")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Principal principal = new Principal(rows.getObject("id", UUID.class),
                        Optional.ofNullable(rows.getObject("org_id", UUID.class)), rows.getBoolean("platform_admin"));
                return Optional.of(new CredentialOwner(principal, rows.getString("secret_sha256")));
            }
        }
    }

    public record CredentialOwner(Principal principal, String secretSha256) {}
}
