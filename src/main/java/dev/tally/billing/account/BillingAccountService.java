package dev.tally.billing.account;

import dev.tally.audit.AuditTrail;
import dev.tally.auth.Principal;
import dev.tally.billing.events.BillingEventSink;
import dev.tally.common.TallyException;
import dev.tally.common.Times;
import dev.tally.organization.OrganizationService;
import dev.tally.storage.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Opening, reading and switching billing accounts; ledger writes live in billing.ledger. */
public final class BillingAccountService {
    private final Database database;
    private final BillingAccountRepository accounts;
    private final AccountResolver resolver;
    private final OrganizationService organizations;
    private final Clock clock;
    private final BillingEventSink events; // webhooks (issue 13)

    public BillingAccountService(Database database, BillingAccountRepository accounts, AccountResolver resolver,
                                 OrganizationService organizations, Clock clock, BillingEventSink events) {
        this.database = database;
        this.accounts = accounts;
        this.resolver = resolver;
        this.organizations = organizations;
        this.clock = clock;
        this.events = events; // webhooks (issue 13)
    }

    public BillingAccount create(Principal principal, String orgIdOrName, NewBillingAccount request) {
        principal.requireAdmin();
        return database.inTransaction(connection -> {
            UUID orgId = organizations.accessible(connection, principal, orgIdOrName).id();
            Instant now = Times.now(clock);
            BillingAccount account = new BillingAccount(UUID.randomUUID(), orgId, request.name(), request.email(),
                    request.phone(), request.address(), request.currency(), BillingAccount.ACTIVE, 0, 0, 0, 0,
                    request.metadata(), now, now, now);
            accounts.insert(connection, account, principal.auditName());
            return account;
        });
    }

    public List<BillingAccount> list(Principal principal, String orgIdOrName) {
        return database.inTransaction(connection -> accounts.listByOrganization(
                connection, organizations.accessible(connection, principal, orgIdOrName).id()));
    }

    /** Every account, or those of one organization: for platform admins. */
    public List<BillingAccount> listAll(Principal principal, String orgIdOrName) {
        principal.requireAdmin();
        return database.inTransaction(connection -> orgIdOrName.isEmpty()
                ? accounts.listAll(connection)
                : accounts.listByOrganization(connection,
                        organizations.accessible(connection, principal, orgIdOrName).id()));
    }

    public BillingAccount get(Principal principal, AccountSelector selector) {
        return database.inTransaction(connection -> resolver.resolve(connection, principal, selector));
    }

    public void setEnabled(Principal principal, AccountSelector selector, boolean enabled) {
        principal.requireAdmin();
        requireBillingId(selector);
        database.inTransaction(connection -> {
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            Instant now = Times.now(clock);
            String state = enabled ? BillingAccount.ACTIVE : BillingAccount.DISABLED;
            accounts.updateState(connection, account.id(), state, now);
            AuditTrail.record(connection, principal, now, enabled ? "billing_account.enable" : "billing_account.disable",
                    target(account), Map.of("state", account.state()), Map.of("state", state));
            if (account.isActive() != enabled) {
                events.stateChanged(connection, account, enabled); // webhooks (issue 13)
            }
            return null;
        });
    }

    public void updateCreditMin(Principal principal, AccountSelector selector, long creditMin) {
        principal.requireAdmin();
        requireBillingId(selector);
        database.inTransaction(connection -> {
            BillingAccount account = resolver.resolveForUpdate(connection, principal, selector);
            Instant now = Times.now(clock);
            accounts.updateCreditMin(connection, account.id(), creditMin, now);
            AuditTrail.record(connection, principal, now, "billing_account.limits.update", target(account),
                    Map.of("credit_min", account.creditMin()), Map.of("credit_min", creditMin));
            if (account.creditMin() != creditMin) {
                events.limitsUpdated(connection, account, creditMin); // webhooks (issue 13)
            }
            return null;
        });
    }

    private static AuditTrail.Target target(BillingAccount account) {
        return AuditTrail.Target.of("billing_account", account.id(), account.organizationId());
    }

    private static void requireBillingId(AccountSelector selector) {
        if (selector.billingId().isEmpty()) {
            throw TallyException.invalidArgument("id: empty (expected: a billing account id)");
        }
    }
}
