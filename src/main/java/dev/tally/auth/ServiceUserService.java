package dev.tally.auth;

import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.organization.OrganizationService;
import dev.tally.storage.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Creating service users and their credentials: platform admins only. */
public final class ServiceUserService {
    private final Database database;
    private final ServiceUserRepository serviceUsers;
    private final OrganizationService organizations;
    private final Clock clock;

    public ServiceUserService(Database database, ServiceUserRepository serviceUsers,
                              OrganizationService organizations, Clock clock) {
        this.database = database;
        this.serviceUsers = serviceUsers;
        this.organizations = organizations;
        this.clock = clock;
    }

    public ServiceUser create(Principal principal, String orgIdOrName, String title, Metadata metadata) {
        principal.requireAdmin();
        Text.checkLength("title", title);
        return database.inTransaction(connection -> {
            UUID orgId = organizations.accessible(connection, principal, orgIdOrName).id();
            Instant now = Times.now(clock);
            ServiceUser user = new ServiceUser(UUID.randomUUID(), Optional.of(orgId), title, ServiceUser.ENABLED,
                    metadata, false, now, now);
            serviceUsers.insert(connection, user, principal.auditName());
            return user;
        });
    }

    /** A new credential whose secret is returned here once and kept only as a hash. */
    public IssuedSecret createCredential(Principal principal, String orgIdOrName, String serviceUserId, String title) {
        principal.requireAdmin();
        Text.checkLength("title", title);
        UUID userId = Ids.parse("id", serviceUserId);
        return database.inTransaction(connection -> {
            UUID orgId = organizations.accessible(connection, principal, orgIdOrName).id();
            serviceUsers.findById(connection, userId)
                    .filter(user -> user.organizationId().equals(Optional.of(orgId)))
                    .orElseThrow(() -> TallyException.notFound("service user " + userId + " not found"));
            String secret = Secrets.generate();
            Credential credential = new Credential(UUID.randomUUID().toString(), userId, title,
                    Secrets.sha256Hex(secret), Times.now(clock));
            serviceUsers.insertCredential(connection, credential, principal.auditName());
            return new IssuedSecret(credential, secret);
        });
    }

    public record IssuedSecret(Credential credential, String secret) {}
}
