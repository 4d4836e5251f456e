package dev.tally.auth;

import dev.tally.common.Metadata;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    public Optional<ServiceUser> findById(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, org_id, title, state, metadata, platform_admin, created_at, updated_at"
                        + " FROM service_users WHERE id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ServiceUser(
                        rows.getObject("id", UUID.class),
                        Optional.ofNullable(rows.getObject("org_id", UUID.class)),
                        rows.getString("title"),
                        rows.getString("state"),
                        new Metadata(rows.getString("metadata")),
                        rows.getBoolean("platform_admin"),
                        Sql.instant(rows, "created_at"),
                        Sql.instant(rows, "updated_at")));
            }
        }
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
