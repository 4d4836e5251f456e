package dev.tally.hostile;

import dev.tally.hostile.World.Side;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every endpoint of DESIGN §3, aimed at one organization's objects, each with a body that would be
 * valid (fresh ids, so that a wrongly accepted request cannot collide with the next case).
 */
enum Endpoint {
    CREATE_BILLING_ACCOUNT("CreateBillingAccount", true, "POST", s -> s.orgPath() + "/billing",
            s -> "{\"body\":{\"name\":\"second\",\"email\":\"second@example.com\"}}"),
    LIST_BILLING_ACCOUNTS("ListBillingAccounts", false, "GET", s -> s.orgPath() + "/billing", null),
    GET_BILLING_ACCOUNT("GetBillingAccount", false, "GET", Side::accountPath, null),
    ENABLE_BILLING_ACCOUNT("EnableBillingAccount", true, "POST", s -> s.accountPath() + "/enable", s -> "{}"),
    DISABLE_BILLING_ACCOUNT("DisableBillingAccount", true, "POST", s -> s.accountPath() + "/disable", s -> "{}"),
    GET_BALANCE("GetBillingBalance", false, "GET", s -> s.accountPath() + "/balance", null),
    USAGE_ON_ACCOUNT_PATH("CreateBillingUsage on the account path", false, "POST", s -> s.accountPath() + "/usages",
            s -> usages("")),
    USAGE_ON_BODY_PATH("CreateBillingUsage on the body path", false, "POST", s -> "/v1beta1/organizations/billing/usages",
            s -> usages("\"org_id\":\"" + s.org().id() + "\",\"billing_id\":\"" + s.account() + "\",")),
    REVERT_ON_BODY_PATH("RevertBillingUsage on the body path", true, "POST",
            s -> "/v1beta1/organizations/billing/usages/revert",
            s -> "{\"org_id\":\"" + s.org().id() + "\",\"billing_id\":\"" + s.account() + "\",\"usage_id\":\""
                    + s.usage() + "\",\"amount\":\"1\"}"),
    REVERT_ON_ADMIN_PATH("RevertBillingUsage on the admin path", true, "POST",
            s -> s.adminAccountPath() + "/usage/" + s.usage() + "/revert", s -> "{\"amount\":\"1\"}"),
    ACCOUNT_TRANSACTIONS("ListBillingTransactions of an account", false, "GET", s -> s.accountPath() + "/transactions",
            null),
    ORGANIZATION_TRANSACTIONS("ListBillingTransactions of an organization", false, "GET",
            s -> s.orgPath() + "/billing/transactions", null),
    BALANCE_AT("GetBillingBalance at an instant", false, "GET",
            s -> s.accountPath() + "/balance?at=2026-01-01T00:00:00Z", null),
    PAGED_TRANSACTIONS("ListBillingTransactions, one page", false, "GET",
            s -> s.accountPath() + "/transactions?page_size=1&type=debit", null),
    USAGE_SUMMARY("GetBillingUsageSummary", false, "GET", s -> s.accountPath()
            + "/usage_summary?start_range=2026-01-01T00:00:00Z&end_range=2026-01-02T00:00:00Z&window=hour&group_by=source",
            null),
    DEBITED_TOTAL("TotalDebitedTransactions", false, "GET", s -> s.accountPath() + "/debited_transactions_total", null),
    CHECK_CREDIT("CheckCreditEntitlement", false, "POST", s -> "/v1beta1/billing/check",
            s -> "{\"org_id\":\"" + s.org().id() + "\",\"amount\":\"1\"}"),
    UPDATE_LIMITS("UpdateBillingAccountLimits", true, "PUT", s -> s.adminAccountPath() + "/limits",
            s -> "{\"credit_min\":\"-50\"}"),
    GET_DETAILS("GetBillingAccountDetails", true, "GET", s -> s.adminAccountPath() + "/details", null),
    ADD_CREDITS("AddBillingCredits", true, "POST", s -> s.adminAccountPath() + "/credits",
            s -> "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"7\",\"source\":\"hostile\"}"),
    LIST_GRANTS("ListBillingGrants", false, "GET", s -> s.accountPath() + "/grants", null), // DESIGN §13
    ALLOCATIONS("ListBillingAllocations", false, "GET",
            s -> s.accountPath() + "/transactions/" + s.usage() + "/allocations", null),
    LIST_ALL_BILLING_ACCOUNTS("ListAllBillingAccounts", true, "GET",
            s -> "/v1beta1/admin/billing/accounts?org_id=" + s.org().id(), null),
    CREATE_ORGANIZATION("CreateOrganization", true, "POST", s -> "/v1beta1/organizations",
            s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"title\":\"T\"}}"),
    GET_ORGANIZATION("GetOrganization", false, "GET", Side::orgPath, null),
    LIST_ALL_ORGANIZATIONS("ListAllOrganizations", true, "GET", s -> "/v1beta1/admin/organizations", null),
    CREATE_PROJECT("CreateProject", false, "POST", s -> "/v1beta1/projects",
            s -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"title\":\"T\",\"org_id\":\""
                    + s.org().id() + "\"}}"),
    GET_PROJECT("GetProject", false, "GET", s -> "/v1beta1/projects/" + s.project(), null),
    LIST_PROJECTS("ListOrganizationProjects", false, "GET", s -> s.orgPath() + "/projects", null),
    CREATE_SERVICE_USER("CreateServiceUser", true, "POST", s -> s.orgPath() + "/serviceusers",
            s -> "{\"body\":{\"title\":\"intruder\"}}"),
    CREATE_CREDENTIAL("CreateServiceUserCredential", true, "POST",
            s -> s.orgPath() + "/serviceusers/" + s.serviceUser() + "/secrets", s -> "{\"title\":\"stolen\"}");

    final String rpc;
    /** Whether only a platform admin may call it (DESIGN §7): a service user gets 403 even in its own organization. */
    final boolean adminOnly;
    final String method;
    private final Function<Side, String> path;
    private final Function<Side, String> body;

    Endpoint(String rpc, boolean adminOnly, String method, Function<Side, String> path, Function<Side, String> body) {
        this.rpc = rpc;
        this.adminOnly = adminOnly;
        this.method = method;
        this.path = path;
        this.body = body;
    }

    String path(Side side) {
        return path.apply(side);
    }

    /** A valid body for this endpoint, or null for a GET. */
    String body(Side side) {
        return body == null ? null : body.apply(side);
    }

    boolean hasBody() {
        return body != null;
    }

    static List<Endpoint> withBody() {
        return Arrays.stream(values()).filter(Endpoint::hasBody).toList();
    }

    private static String usages(String selector) {
        return "{" + selector + "\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\",\"source\":\"api\"}]}";
    }

    @Override
    public String toString() {
        return rpc;
    }
}
