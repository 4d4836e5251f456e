package dev.tally.api;

import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.api.proto.AddBillingCreditsResponse;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.GetBillingAccountDetailsRequest;
import dev.tally.api.proto.GetBillingAccountDetailsResponse;
import dev.tally.api.proto.ListAllBillingAccountsRequest;
import dev.tally.api.proto.ListAllBillingAccountsResponse;
import dev.tally.api.proto.ListAllOrganizationsRequest;
import dev.tally.api.proto.ListAllOrganizationsResponse;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.RevertBillingUsageResponse;
import dev.tally.api.proto.UpdateBillingAccountLimitsRequest;
import dev.tally.api.proto.UpdateBillingAccountLimitsResponse;
import dev.tally.api.proto.CreateWebhookRequest;
import dev.tally.api.proto.CreateWebhookResponse;
import dev.tally.api.proto.DeleteWebhookRequest;
import dev.tally.api.proto.DeleteWebhookResponse;
import dev.tally.api.proto.ListWebhookDeliveriesRequest;
import dev.tally.api.proto.ListWebhookDeliveriesResponse;
import dev.tally.api.proto.ListWebhooksRequest;
import dev.tally.api.proto.ListWebhooksResponse;
import dev.tally.api.proto.RedeliverWebhookEventRequest;
import dev.tally.api.proto.RedeliverWebhookEventResponse;
import dev.tally.api.proto.UpdateBillingAccountAlertsRequest;
import dev.tally.api.proto.UpdateBillingAccountAlertsResponse;
import dev.tally.api.proto.UpdateWebhookRequest;
import dev.tally.api.proto.UpdateWebhookResponse;
import io.grpc.stub.StreamObserver;

/** AdminService over gRPC, gRPC-Web and unframed protobuf/JSON. */
final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
    private final GrpcCalls calls;
    private final BillingAccountRpcs accounts;
    private final LedgerRpcs ledger;
    private final DirectoryRpcs directory;
    private final WebhookRpcs webhooks;

    AdminGrpcService(GrpcCalls calls, BillingAccountRpcs accounts, LedgerRpcs ledger, DirectoryRpcs directory,
                     WebhookRpcs webhooks) {
        this.calls = calls;
        this.accounts = accounts;
        this.ledger = ledger;
        this.directory = directory;
        this.webhooks = webhooks;
    }

    @Override
    public void listAllOrganizations(ListAllOrganizationsRequest request,
                                     StreamObserver<ListAllOrganizationsResponse> observer) {
        calls.unary(request, observer, directory::listAllOrganizations);
    }

    @Override
    public void listAllBillingAccounts(ListAllBillingAccountsRequest request,
                                       StreamObserver<ListAllBillingAccountsResponse> observer) {
        calls.unary(request, observer, accounts::listAll);
    }

    @Override
    public void revertBillingUsage(RevertBillingUsageRequest request,
                                   StreamObserver<RevertBillingUsageResponse> observer) {
        calls.unary(request, observer, ledger::revert);
    }

    @Override
    public void updateBillingAccountLimits(UpdateBillingAccountLimitsRequest request,
                                           StreamObserver<UpdateBillingAccountLimitsResponse> observer) {
        calls.unary(request, observer, accounts::updateLimits);
    }

    @Override
    public void getBillingAccountDetails(GetBillingAccountDetailsRequest request,
                                         StreamObserver<GetBillingAccountDetailsResponse> observer) {
        calls.unary(request, observer, accounts::details);
    }

    @Override
    public void addBillingCredits(AddBillingCreditsRequest request, StreamObserver<AddBillingCreditsResponse> observer) {
        calls.unary(request, observer, ledger::addCredits);
    }

    // Webhooks and alerts (issue 13)

    @Override
    public void createWebhook(CreateWebhookRequest request, StreamObserver<CreateWebhookResponse> observer) {
        calls.unary(request, observer, webhooks::create);
    }

    @Override
    public void updateWebhook(UpdateWebhookRequest request, StreamObserver<UpdateWebhookResponse> observer) {
        calls.unary(request, observer, webhooks::update);
    }

    @Override
    public void deleteWebhook(DeleteWebhookRequest request, StreamObserver<DeleteWebhookResponse> observer) {
        calls.unary(request, observer, webhooks::delete);
    }

    @Override
    public void listWebhooks(ListWebhooksRequest request, StreamObserver<ListWebhooksResponse> observer) {
        calls.unary(request, observer, webhooks::list);
    }

    @Override
    public void listWebhookDeliveries(ListWebhookDeliveriesRequest request,
                                      StreamObserver<ListWebhookDeliveriesResponse> observer) {
        calls.unary(request, observer, webhooks::deliveries);
    }

    @Override
    public void redeliverWebhookEvent(RedeliverWebhookEventRequest request,
                                      StreamObserver<RedeliverWebhookEventResponse> observer) {
        calls.unary(request, observer, webhooks::redeliver);
    }

    @Override
    public void updateBillingAccountAlerts(UpdateBillingAccountAlertsRequest request,
                                           StreamObserver<UpdateBillingAccountAlertsResponse> observer) {
        calls.unary(request, observer, webhooks::updateAlerts);
    }
}
