package dev.tally.billing.account;

import dev.tally.auth.Principal;
import dev.tally.common.Ids;
import dev.tally.common.TallyException;
import dev.tally.common.Text;
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

    public AccountResolver(BillingAccountRepository accounts, OrganizationService organizations,
                           ProjectService projects) {
        this.accounts = accounts;
        this.organizations = organizations;
        this.projects = projects;
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
        return lock ? accounts.lockById(connection, id) : accounts.findById(connection, id);
    }

    private static TallyException accountNotFound(String billingId) {
        return TallyException.notFound("billing account " + Text.quote(billingId) + " not found");
    }
}
