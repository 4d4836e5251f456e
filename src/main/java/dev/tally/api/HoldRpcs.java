package dev.tally.api;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.api.proto.BillingHold;
import dev.tally.api.proto.CaptureBillingHoldRequest;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldRequest;
import dev.tally.api.proto.CreateBillingHoldResponse;
import dev.tally.api.proto.GetBillingHoldRequest;
import dev.tally.api.proto.GetBillingHoldResponse;
import dev.tally.api.proto.ListBillingHoldsRequest;
import dev.tally.api.proto.ListBillingHoldsResponse;
import dev.tally.api.proto.ReleaseBillingHoldRequest;
import dev.tally.api.proto.ReleaseBillingHoldResponse;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.ledger.Hold;
import dev.tally.billing.ledger.HoldService;
import dev.tally.billing.ledger.NewHold;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** The hold RPCs (DESIGN §12): create, capture, release, get and list. */
final class HoldRpcs {
    private final HoldService holds;

    HoldRpcs(HoldService holds) {
        this.holds = holds;
    }

    /**
     * Answered later, from the lane's commit ({@link RpcMethod.Deferred}): what follows the commit is
     * memory work, done on the event loop, which writes the reply anyway.
     */
    CompletableFuture<CreateBillingHoldResponse> create(Principal principal, CreateBillingHoldRequest request) {
        NewHold hold = NewHold.fromCaller(request.getId(), request.getAmount(),
                request.hasExpiresIn() ? OptionalLong.of(request.getExpiresIn()) : OptionalLong.empty(),
                request.getSource(), request.getDescription(), request.getUserId(),
                ProtoJson.metadata("metadata", request.getMetadata()));
        return holds.create(principal,
                new AccountSelector(request.getOrgId(), request.getProjectId(), request.getBillingId()), hold,
                RequestDeadlines.ofCurrentRequest(), ServiceRequestContext.current().eventLoop())
                .thenApply(created -> CreateBillingHoldResponse.newBuilder().setHold(hold(created)).build());
    }

    /** As {@link #create}; a repeated capture's read of its row runs on the blocking executor. */
    CompletableFuture<CaptureBillingHoldResponse> capture(Principal principal, CaptureBillingHoldRequest request) {
        ServiceRequestContext ctx = ServiceRequestContext.current();
        return holds.capture(principal, selector(request.getOrgId(), request.getBillingId()),
                request.getId(), request.hasAmount() ? OptionalLong.of(request.getAmount()) : OptionalLong.empty(),
                request.getUsageId(), request.getDescription(), ProtoJson.metadata("metadata", request.getMetadata()),
                RequestDeadlines.ofCurrentRequest(), ctx.eventLoop(), ctx.blockingTaskExecutor())
                .thenApply(HoldRpcs::captured);
    }

    private static CaptureBillingHoldResponse captured(HoldService.Capture capture) {
        var response = CaptureBillingHoldResponse.newBuilder().setHold(hold(capture.hold()));
        capture.transaction().ifPresent(entry -> response.setTransaction(ProtoMapping.transaction(entry)));
        return response.build();
    }

    ReleaseBillingHoldResponse release(Principal principal, ReleaseBillingHoldRequest request) {
        Hold released = holds.release(principal, selector(request.getOrgId(), request.getBillingId()), request.getId());
        return ReleaseBillingHoldResponse.newBuilder().setHold(hold(released)).build();
    }

    GetBillingHoldResponse get(Principal principal, GetBillingHoldRequest request) {
        Hold hold = holds.get(principal, selector(request.getOrgId(), request.getBillingId()), request.getId());
        return GetBillingHoldResponse.newBuilder().setHold(hold(hold)).build();
    }

    ListBillingHoldsResponse list(Principal principal, ListBillingHoldsRequest request) {
        HoldService.Page page = holds.list(principal, selector(request.getOrgId(), request.getBillingId()),
                request.getState(), request.getPageSize(), request.getPageToken());
        var response = ListBillingHoldsResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.holds().forEach(hold -> response.addHolds(hold(hold)));
        return response.build();
    }

    /** Holds are always named by organization and account, as their paths have them. */
    private static AccountSelector selector(String orgId, String billingId) {
        return AccountSelector.of(BillingAccountRpcs.required("org_id", orgId),
                BillingAccountRpcs.required("billing_id", billingId));
    }

    /** The hold as stored, with the state callers see (a held hold past expires_at is expired). */
    private static BillingHold hold(Hold hold) {
        return BillingHold.newBuilder()
                .setId(hold.id().toString())
                .setCustomerId(hold.accountId().toString())
                .setAmount(hold.amount())
                .setCapturedAmount(hold.capturedAmount().orElse(0))
                .setState(hold.storedState().wireName())
                .setExpiresAt(ProtoMapping.timestamp(hold.expiresAt()))
                .setUsageId(hold.usageId().map(Object::toString).orElse(""))
                .setSource(hold.source())
                .setDescription(hold.description())
                .setUserId(hold.userId())
                .setMetadata(ProtoJson.struct(hold.metadata()))
                .setCreatedAt(ProtoMapping.timestamp(hold.createdAt()))
                .setUpdatedAt(ProtoMapping.timestamp(hold.updatedAt()))
                .build();
    }
}
