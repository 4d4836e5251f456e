package dev.tally.billing.account;

/**
 * How a request names its billing account (DESIGN §4): an organization (uuid or name) or a
 * project, and optionally the account's id. Empty strings mean "not given", as in protobuf.
 */
public record AccountSelector(String orgId, String projectId, String billingId) {
    public AccountSelector {
        orgId = orgId == null ? "" : orgId;
        projectId = projectId == null ? "" : projectId;
        billingId = billingId == null ? "" : billingId;
    }

    public static AccountSelector of(String orgId, String billingId) {
        return new AccountSelector(orgId, "", billingId);
    }
}
