package dev.tally.api;

import dev.tally.api.proto.BillingAllocation;
import dev.tally.api.proto.BillingGrant;
import dev.tally.api.proto.ListBillingAllocationsRequest;
import dev.tally.api.proto.ListBillingAllocationsResponse;
import dev.tally.api.proto.ListBillingGrantsRequest;
import dev.tally.api.proto.ListBillingGrantsResponse;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.ledger.Allocation;
import dev.tally.billing.ledger.Grant;
import dev.tally.billing.ledger.GrantService;

/** The grant reads (DESIGN §13): an account's grants, and what one entry took from which. */
final class GrantRpcs {
    private final GrantService grants;

    GrantRpcs(GrantService grants) {
        this.grants = grants;
    }

    ListBillingGrantsResponse list(Principal principal, ListBillingGrantsRequest request) {
        var response = ListBillingGrantsResponse.newBuilder();
        for (GrantService.Listed listed : grants.list(principal, selector(request.getOrgId(), request.getBillingId()))) {
            Grant grant = listed.grant();
            var message = BillingGrant.newBuilder()
                    .setId(grant.id().toString())
                    .setCustomerId(grant.accountId().toString())
                    .setAmount(grant.amount())
                    .setRemaining(grant.remaining())
                    .setPriority(grant.priority())
                    .setState(listed.state().wireName())
                    .setSource(listed.source())
                    .setDescription(listed.description())
                    .setCreatedAt(ProtoMapping.timestamp(grant.createdAt()));
            grant.expiresAt().ifPresent(at -> message.setExpiresAt(ProtoMapping.timestamp(at)));
            response.addGrants(message);
        }
        return response.build();
    }

    ListBillingAllocationsResponse allocations(Principal principal, ListBillingAllocationsRequest request) {
        var response = ListBillingAllocationsResponse.newBuilder();
        for (Allocation allocation : grants.allocations(principal,
                selector(request.getOrgId(), request.getBillingId()), request.getId())) {
            response.addAllocations(BillingAllocation.newBuilder()
                    .setGrantId(allocation.grantId().map(Object::toString).orElse(""))
                    .setAmount(allocation.amount()));
        }
        return response.build();
    }

    private static AccountSelector selector(String orgId, String billingId) {
        return AccountSelector.of(BillingAccountRpcs.required("org_id", orgId),
                BillingAccountRpcs.required("billing_id", billingId));
    }
}
