package dev.tally.project;

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

public final class ProjectRepository {
    private static final String COLUMNS = "id, org_id, name, title, state, metadata, created_at, updated_at";

    public void insert(Connection connection, Project project, String createdBy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO projects (id, org_id, name, title, state, metadata, created_by, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setObject(1, project.id());
            statement.setObject(2, project.organizationId());
            statement.setString(3, project.name());
            statement.setString(4, project.title());
            statement.setString(5, project.state());
            statement.setString(6, project.metadata().json());
            statement.setString(7, createdBy);
            statement.setObject(8, Sql.timestamp(project.createdAt()));
            statement.setObject(9, Sql.timestamp(project.updatedAt()));
            statement.executeUpdate();
        }
    }

    public Optional<Project> findById(Connection connection, UUID id) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM projects WHERE id = ?", id);
    }

    public Optional<Project> findByName(Connection connection, String name) throws SQLException {
        return findOne(connection, "SELECT " + COLUMNS + " FROM projects WHERE name = ?", name);
    }

    public List<Project> listByOrganization(Connection connection, UUID orgId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM projects WHERE org_id = ? ORDER BY created_at, id")) {
            statement.setObject(1, orgId);
            try (ResultSet rows = statement.executeQuery()) {
                List<Project> projects = new ArrayList<>();
                while (rows.next()) {
                    projects.add(read(rows));
                }
                return projects;
            }
        }
    }

    private Optional<Project> findOne(Connection connection, String sql, Object key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private static Project read(ResultSet rows) throws SQLException {
        return new Project(
                rows.getObject("id", UUID.class),
                rows.getObject("org_id", UUID.class),
                rows.getString("name"),
                rows.getString("title"),
                rows.getString("state"),
                new Metadata(rows.getString("metadata")),
                Sql.instant(rows, "created_at"),
                Sql.instant(rows, "updated_at"));
    }
}
