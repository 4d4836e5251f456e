package dev.tally.organization;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.auth.Principal;
import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.Names;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.storage.Database;
import dev.tally.storage.SqlStates;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public final class OrganizationService {
    private static final long CACHE_WEIGHT_MAX_CHARS = 32L * 1024 * 1024;
    private final Database database;
    private final OrganizationRepository organizations;
    private final Clock clock;
    /** Bounded by size, metadata included, so that large metadata cannot crowd the heap. */
    private final Cache<String, Organization> byIdOrName = Caffeine.newBuilder()
            .maximumWeight(CACHE_WEIGHT_MAX_CHARS)
            .weigher((String key, Organization org) -> key.length() + org.name().length() + org.title().length()
                    + org.metadata().json().length() + 128)
            .build();

    public OrganizationService(Database database, OrganizationRepository organizations, Clock clock) {
        this.database = database;
        this.organizations = organizations;
        this.clock = clock;
    }

    public Organization create(Principal principal, String name, String title, Metadata metadata) {
        principal.requireAdmin();
        Names.check("name", name);
        Text.checkLength("title", title);
        Instant now = Times.now(clock);
        Organization org = new Organization(UUID.randomUUID(), name, title.isEmpty() ? name : title,
                Organization.ENABLED, metadata, now, now);
        return database.inTransaction(connection -> {
            try {
                organizations.insert(connection, org, principal.auditName());
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    throw TallyException.alreadyExists("organization " + Text.quote(name) + " already exists");
                }
                throw e;
            }
            return org;
        });
    }

    public Organization get(Principal principal, String idOrName) {
        return database.inTransaction(connection -> accessible(connection, principal, idOrName));
    }

    /**
     * The organization named by uuid or name, if {@code principal} may act in it. An
     * organization-limited principal gets PERMISSION_DENIED whether the other organization exists
     * or not, so that it cannot probe for other organizations; an admin gets NOT_FOUND.
     */
    public Organization accessible(Connection connection, Principal principal, String idOrName) throws SQLException {
        Optional<Organization> org = find(connection, idOrName);
        if (org.isEmpty()) {
            if (!principal.platformAdmin()) {
                throw TallyException.permissionDenied("the credential may not act on this organization");
            }
            throw TallyException.notFound("organization " + Text.quote(idOrName) + " not found");
        }
        principal.requireOrganization(org.get().id());
        return org.get();
    }

    public List<Organization> listAll(Principal principal) {
        principal.requireAdmin();
        return database.inTransaction(organizations::listAll);
    }

    /**
     * Finds an organization by uuid or, failing that, by name. Found organizations are cached:
     * an organization's id, name and existence never change (there is no rename or delete), and
     * this lookup is on the path of every usage report. Misses are not cached.
     */
    public Optional<Organization> find(Connection connection, String idOrName) throws SQLException {
        if (idOrName == null || idOrName.isEmpty()) {
            return Optional.empty();
        }
        Text.checkStorable("org_id", idOrName);
        Organization cached = byIdOrName.getIfPresent(idOrName);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<UUID> id = Ids.tryParse(idOrName);
        Optional<Organization> found = id.isPresent()
                ? organizations.findById(connection, id.get())
                : organizations.findByName(connection, idOrName);
        found.ifPresent(org -> byIdOrName.put(idOrName, org));
        return found;
    }

    /** The organization if it is in the cache; no database access. */
    public Optional<Organization> findCached(String idOrName) {
        return Optional.ofNullable(byIdOrName.getIfPresent(idOrName));
    }
}
