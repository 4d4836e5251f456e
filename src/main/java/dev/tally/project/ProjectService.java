package dev.tally.project;

import dev.tally.auth.Principal;
import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.Names;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.organization.Organization;
import dev.tally.organization.OrganizationService;
import dev.tally.storage.Database;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class ProjectService {
    private final Database database;
    private final ProjectRepository projects;
    private final OrganizationService organizations;
    private final Clock clock;

    public ProjectService(Database database, ProjectRepository projects, OrganizationService organizations, Clock clock) {
        this.database = database;
        this.projects = projects;
        this.organizations = organizations;
        this.clock = clock;
    }

    public Project create(Principal principal, String orgIdOrName, String name, String title, Metadata metadata) {
        Names.check("name", name);
        Text.checkLength("title", title);
        Text.requireNonBlank("org_id", orgIdOrName);
        return database.inTransaction(connection -> {
            Organization org = organizations.accessible(connection, principal, orgIdOrName);
            Instant now = Times.now(clock);
            Project project = new Project(UUID.randomUUID(), org.id(), name, title.isEmpty() ? name : title,
                    Project.ENABLED, metadata, now, now);
            try {
                projects.insert(connection, project, principal.auditName());
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw TallyException.alreadyExists("project " + Text.quote(name) + " already exists");
                }
                throw e;
            }
            return project;
        });
    }

    public Project get(Principal principal, String idOrName) {
        return database.inTransaction(connection -> {
            Optional<Project> project = find(connection, idOrName);
            if (project.isEmpty()) {
                throw TallyException.notFound("project " + Text.quote(idOrName) + " not found");
            }
            principal.requireOrganization(project.get().organizationId());
            return project.get();
        });
    }

    public List<Project> listByOrganization(Principal principal, String orgIdOrName) {
        return database.inTransaction(connection ->
                projects.listByOrganization(connection, organizations.accessible(connection, principal, orgIdOrName).id()));
    }

    /** Finds a project by uuid or, failing that, by name. */
    public Optional<Project> find(Connection connection, String idOrName) throws SQLException {
        Text.checkStorable("project_id", idOrName);
        Optional<UUID> id = Ids.tryParse(idOrName);
        return id.isPresent() ? projects.findById(connection, id.get()) : projects.findByName(connection, idOrName);
    }
}
