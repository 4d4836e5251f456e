package dev.tally.auth;

import dev.tally.audit.AuditTrail;
import dev.tally.common.Ids;
import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.common.Times;
import dev.tally.organization.OrganizationService;
import dev.tally.storage.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
            AuditTrail.record(connection, principal, now, "serviceuser.create", target(user), Map.of(),
                    Map.of("title", title, "state", user.state()));
            return user;
        });
    }

    /** A new credential whose secret is returned here once and kept only as a hash. */
    public IssuedSecret createCredential(Principal principal, String orgIdOrName, String serviceUserId, String title) {
        principal.requireAdmin();
        Text.checkLength("title", title);
        UUID userId = Ids.parse("id", serviceUserId);
        return database.inTransaction(connection -> {
            ServiceUser user = visible(connection, principal, orgIdOrName, userId);
            String secret = Secrets.generate();
            Credential credential = new Credential(UUID.randomUUID().toString(), userId, title,
                    Secrets.sha256Hex(secret), Times.now(clock));
            serviceUsers.insertCredential(connection, credential, principal.auditName());
            AuditTrail.record(connection, principal, credential.createdAt(), "serviceuser.credential.create",
                    target(user), Map.of(), Map.of("credential_id", credential.id(), "title", title));
            return new IssuedSecret(credential, secret);
        });
    }

    /** The organization's service users (not deleted); {@code state} "" for all, or enabled / disabled. */
    public List<ServiceUser> list(Principal principal, String orgIdOrName, String state) {
        principal.requireAdmin();
        Optional<String> filter = switch (state) {
            case "" -> Optional.empty();
            case ServiceUser.ENABLED, ServiceUser.DISABLED -> Optional.of(state);
            default -> throw TallyException.invalidArgument("state: " + Text.quote(state)
                    + " (expected: enabled, disabled or empty)");
        };
        return database.inTransaction(connection -> serviceUsers.listByOrganization(connection,
                organizations.accessible(connection, principal, orgIdOrName).id(), filter));
    }

    public ServiceUser get(Principal principal, String orgIdOrName, String serviceUserId) {
        principal.requireAdmin();
        UUID userId = Ids.parse("id", serviceUserId);
        return database.inTransaction(connection -> visible(connection, principal, orgIdOrName, userId));
    }

    /**
     * Deletes the service user and its credentials. Its row stays (as {@code deleted}) because ledger
     * entries and idempotency records name it; it can no longer authenticate, on any process within
     * the authenticator's cache time.
     */
    public void delete(Principal principal, String orgIdOrName, String serviceUserId) {
        principal.requireAdmin();
        UUID userId = Ids.parse("id", serviceUserId);
        if (principal.serviceUserId().equals(userId)) {
            throw TallyException.failedPrecondition("a service user cannot delete itself");
        }
        database.inTransaction(connection -> {
            ServiceUser user = visible(connection, principal, orgIdOrName, userId);
            Instant now = Times.now(clock);
            if (!serviceUsers.markDeleted(connection, userId, now)) {
                throw notFound(userId);
            }
            AuditTrail.record(connection, principal, now, "serviceuser.delete", target(user),
                    Map.of("title", user.title(), "state", user.state()), Map.of());
            return null;
        });
    }

    /** The user's credentials with their hashes; callers show ids, titles and times only. */
    public List<Credential> listCredentials(Principal principal, String orgIdOrName, String serviceUserId) {
        principal.requireAdmin();
        UUID userId = Ids.parse("id", serviceUserId);
        return database.inTransaction(connection -> {
            visible(connection, principal, orgIdOrName, userId);
            return serviceUsers.listCredentials(connection, userId);
        });
    }

    public void deleteCredential(Principal principal, String orgIdOrName, String serviceUserId, String credentialId) {
        principal.requireAdmin();
        UUID userId = Ids.parse("id", serviceUserId);
        Text.checkLength("secret_id", credentialId);
        database.inTransaction(connection -> {
            ServiceUser user = visible(connection, principal, orgIdOrName, userId);
            String title = serviceUsers.listCredentials(connection, userId).stream()
                    .filter(credential -> credential.id().equals(credentialId))
                    .map(Credential::title).findFirst().orElse("");
            if (!serviceUsers.deleteCredential(connection, userId, credentialId)) {
                throw TallyException.notFound("credential " + Text.quote(credentialId) + " not found");
            }
            AuditTrail.record(connection, principal, Times.now(clock), "serviceuser.credential.delete",
                    target(user), Map.of("credential_id", credentialId, "title", title), Map.of());
            return null;
        });
    }

    /** The user when it exists in that organization and is not deleted; 404 otherwise, whichever it is. */
    private ServiceUser visible(java.sql.Connection connection, Principal principal, String orgIdOrName, UUID userId)
            throws java.sql.SQLException {
        UUID orgId = organizations.accessible(connection, principal, orgIdOrName).id();
        return serviceUsers.findById(connection, userId)
                .filter(user -> user.organizationId().equals(Optional.of(orgId)))
                .filter(user -> !user.state().equals(ServiceUser.DELETED))
                .orElseThrow(() -> notFound(userId));
    }

    private static AuditTrail.Target target(ServiceUser user) {
        return AuditTrail.Target.of("serviceuser", user.id(), user.organizationId().orElse(null));
    }

    private static TallyException notFound(UUID userId) {
        return TallyException.notFound("service user " + userId + " not found");
    }

    public record IssuedSecret(Credential credential, String secret) {}
}
