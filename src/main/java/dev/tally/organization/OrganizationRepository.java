package dev.tally.organization;

import dev.tally.common.Metadata;
import dev.tally.storage.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class OrganizationRepository {
    private static final String COLUMNS = "id, name, title, state, metadata, created_at, updated_at";

    public void insert(Connection connection, Organization org, String createdBy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO organizations (id, name, title, state, metadata, created_by, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, org.id());
            statement.setString(2, org.name());
            statement.setString(3, org.title());
            statement.setString(4, org.state());
            statement.setString(5, org.metadata().json());
            statement.setString(6, createdBy);
            statement.setObject(7, Sql.timestamp(org.createdAt()));
            statement.setObject(8, Sql.timestamp(org.updatedAt()));
            statement.executeUpdate();
        }
    }

    public Optional<Organization> findById(Connection connection, UUID id) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM organizations WHERE id = ?", id);
    }

    public Optional<Organization> findByName(Connection connection, String name) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM organizations WHERE name = ?", name);
    }

    public List<Organization> listAll(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM organizations ORDER BY created_at, id");
             ResultSet rows = statement.executeQuery()) {
            List<Organization> organizations = new ArrayList<>();
            while (rows.next()) {
                organizations.add(read(rows));
            }
            return organizations;
        }
    }

    private Optional<Organization> findOne(Connection connection, String sql, Object key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static Organization read(ResultSet rows) throws SQLException {
        return new Organization(
                rows.getObject("id", UUID.class),
                rows.getString("name"),
                rows.getString("title"),
                rows.getString("state"),
                new Metadata(rows.getString("metadata")),
                Sql.instant(rows, "created_at"),
                Sql.instant(rows, "updated_at"));
    }
}
