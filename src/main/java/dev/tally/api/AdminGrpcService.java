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
import io.grpc.stub.StreamObserver;

/** AdminService over gRPC, gRPC-Web and unframed protobuf/JSON. */
final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
    private final GrpcCalls calls;
    private final BillingAccountRpcs accounts;
    private final LedgerRpcs ledger;
    private final DirectoryRpcs directory;

    AdminGrpcService(GrpcCalls calls, BillingAccountRpcs accounts, LedgerRpcs ledger, DirectoryRpcs directory) {
        this.calls = calls;
        this.accounts = accounts;
        this.ledger = ledger;
        this.directory = directory;
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
}
