package dev.tally.billing.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tally.auth.Principal;
import dev.tally.common.Ids;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
import dev.tally.organization.Organization;
import dev.tally.organization.OrganizationService;
import dev.tally.project.Project;
import dev.tally.project.ProjectService;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/** Finds the billing account a request is about, by the rules of DESIGN §4. */
public final class AccountResolver {
    private final BillingAccountRepository accounts;
    private final OrganizationService organizations;
    private final ProjectService projects;
    private final Cache<UUID, UUID> accountOwners = Caffeine.newBuilder().maximumSize(1_000_000).build();

    public AccountResolver(BillingAccountRepository accounts, OrganizationService organizations,
                           ProjectService projects) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.projects = projects;
    }

    /**
     * The id of the account that {@code selector} names, without touching the database when the
     * organization and the account's owner are cached: the usage path's resolution. An account's
     * organization never changes, so that pairing is cached for good. Whether the account is
     * active is not decided here: writers check it under the row lock.
     */
    public Optional<UUID> cachedAccountId(Principal principal, AccountSelector selector) {
        if (selector.orgId().isEmpty() || !selector.projectId().isEmpty() || selector.billingId().isEmpty()) {
            return Optional.empty();
        }
        Optional<UUID> billingId = Ids.tryParse(selector.billingId());
        Optional<Organization> org = organizations.findCached(selector.orgId());
        if (billingId.isEmpty() || org.isEmpty() || !principal.mayAccess(org.get().id())) {
            return Optional.empty();
        }
        UUID owner = accountOwners.getIfPresent(billingId.get());
        return org.get().id().equals(owner) ? billingId : Optional.empty();
    }

    /**
     * The id of the account that {@code selector} names, for readers that need nothing else of it
     * (a page of history): from the caches as {@link #cachedAccountId} when they hold the pairing,
     * which saves a query per page, else by {@link #resolve}, whose refusals stand. Accounts are
     * never deleted, so a cached pairing stays true.
     */
    public UUID resolveId(Connection connection, Principal principal, AccountSelector selector) throws SQLException {
        Optional<UUID> cached = cachedAccountId(principal, selector);
        return cached.isPresent() ? cached.get() : resolve(connection, principal, selector).id();
    }

    /** The account, read without a lock. */
    public BillingAccount resolve(Connection connection, Principal principal, AccountSelector selector)
            throws SQLException {
        return resolve(connection, principal, selector, false);
    }

    /** The account, with its row locked until the transaction ends: for writers of its balance. */
    public BillingAccount resolveForUpdate(Connection connection, Principal principal, AccountSelector selector)
            throws SQLException {
        return resolve(connection, principal, selector, true);
    }

    private BillingAccount resolve(Connection connection, Principal principal, AccountSelector selector, boolean lock)
            throws SQLException {
        boolean orgGiven = !selector.orgId().isEmpty();
        boolean projectGiven = !selector.projectId().isEmpty();
        Optional<UUID> billingId = selector.billingId().isEmpty()
                ? Optional.empty()
                : Optional.of(Ids.parse("billing_id", selector.billingId()));
        if (orgGiven && projectGiven) {
            throw TallyException.invalidArgument("both project_id and org_id cannot be provided");
        }
        if (!orgGiven && !projectGiven) {
            if (billingId.isEmpty()) {
                throw TallyException.invalidArgument("org_id, project_id or billing_id is required");
            }
            BillingAccount account = find(connection, billingId.get(), lock)
                    .orElseThrow(() -> accountNotFound(selector.billingId()));
            principal.requireOrganization(account.organizationId());
            return account;
        }
        UUID orgId = projectGiven
                ? projectOrganization(connection, principal, selector.projectId())
                : organizations.accessible(connection, principal, selector.orgId()).id();
        if (billingId.isPresent()) {
            return find(connection, billingId.get(), lock)
                    .filter(account -> account.organizationId().equals(orgId))
                    .orElseThrow(() -> accountNotFound(selector.billingId()));
        }
        BillingAccount defaultAccount = accounts.findDefault(connection, orgId)
                .orElseThrow(() -> TallyException.notFound("the organization has no active billing account"));
        return lock ? find(connection, defaultAccount.id(), true).orElseThrow() : defaultAccount;
    }

    private UUID projectOrganization(Connection connection, Principal principal, String projectId) throws SQLException {
        Project project = projects.find(connection, projectId)
                .orElseThrow(() -> TallyException.notFound("project " + Text.quote(projectId) + " not found"));
        principal.requireOrganization(project.organizationId());
        return project.organizationId();
    }

    private Optional<BillingAccount> find(Connection connection, UUID id, boolean lock) throws SQLException {
        Optional<BillingAccount> account = lock ? accounts.lockById(connection, id) : accounts.findById(connection, id);
        account.ifPresent(found -> accountOwners.put(found.id(), found.organizationId()));
        return account;
    }

    private static TallyException accountNotFound(String billingId) {
        return TallyException.notFound("billing account " + Text.quote(billingId) + " not found");
    }
}
