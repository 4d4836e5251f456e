package dev.tally.api;

import dev.tally.api.proto.CheckCreditEntitlementRequest;
import dev.tally.api.proto.CheckCreditEntitlementResponse;
import dev.tally.api.proto.CreateBillingAccountRequest;
import dev.tally.api.proto.CreateBillingAccountResponse;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.CreateBillingUsageResponse;
import dev.tally.api.proto.CreateOrganizationRequest;
import dev.tally.api.proto.CreateOrganizationResponse;
import dev.tally.api.proto.CreateProjectRequest;
import dev.tally.api.proto.CreateProjectResponse;
import dev.tally.api.proto.CreateServiceUserCredentialRequest;
import dev.tally.api.proto.CreateServiceUserCredentialResponse;
import dev.tally.api.proto.CreateServiceUserRequest;
import dev.tally.api.proto.CreateServiceUserResponse;
import dev.tally.api.proto.DisableBillingAccountRequest;
import dev.tally.api.proto.DisableBillingAccountResponse;
import dev.tally.api.proto.EnableBillingAccountRequest;
import dev.tally.api.proto.EnableBillingAccountResponse;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingAccountRequest;
import dev.tally.api.proto.GetBillingAccountResponse;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingBalanceResponse;
import dev.tally.api.proto.GetOrganizationRequest;
import dev.tally.api.proto.GetOrganizationResponse;
import dev.tally.api.proto.GetProjectRequest;
import dev.tally.api.proto.GetProjectResponse;
import dev.tally.api.proto.ListBillingAccountsRequest;
import dev.tally.api.proto.ListBillingAccountsResponse;
import dev.tally.api.proto.ListBillingTransactionsRequest;
import dev.tally.api.proto.ListBillingTransactionsResponse;
import dev.tally.api.proto.ListOrganizationProjectsRequest;
import dev.tally.api.proto.ListOrganizationProjectsResponse;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.RevertBillingUsageResponse;
import dev.tally.api.proto.TotalDebitedTransactionsRequest;
import dev.tally.api.proto.TotalDebitedTransactionsResponse;
import dev.tally.api.proto.DeleteServiceUserCredentialRequest;
import dev.tally.api.proto.DeleteServiceUserCredentialResponse;
import dev.tally.api.proto.DeleteServiceUserRequest;
import dev.tally.api.proto.DeleteServiceUserResponse;
import dev.tally.api.proto.GetServiceUserRequest;
import dev.tally.api.proto.GetServiceUserResponse;
import dev.tally.api.proto.ListServiceUserCredentialsRequest;
import dev.tally.api.proto.ListServiceUserCredentialsResponse;
import dev.tally.api.proto.ListServiceUsersRequest;
import dev.tally.api.proto.ListServiceUsersResponse;
import io.grpc.stub.StreamObserver;

/** FrontierService over gRPC, gRPC-Web and unframed protobuf/JSON, on the RPC classes REST uses. */
final class FrontierGrpcService extends FrontierServiceGrpc.FrontierServiceImplBase {
    private final GrpcCalls calls;
    private final BillingAccountRpcs accounts;
    private final LedgerRpcs ledger;
    private final DirectoryRpcs directory;
    private final ServiceUserRpcs serviceUsers;

    FrontierGrpcService(GrpcCalls calls, BillingAccountRpcs accounts, LedgerRpcs ledger, DirectoryRpcs directory,
                        ServiceUserRpcs serviceUsers) {
        this.serviceUsers = serviceUsers;
        this.calls = calls;
        this.accounts = accounts;
        this.ledger = ledger;
        this.directory = directory;
    }

    @Override
    public void createBillingAccount(CreateBillingAccountRequest request,
                                     StreamObserver<CreateBillingAccountResponse> observer) {
        calls.unary(request, observer, accounts::create);
    }

    @Override
    public void listBillingAccounts(ListBillingAccountsRequest request,
                                    StreamObserver<ListBillingAccountsResponse> observer) {
        calls.unary(request, observer, accounts::list);
    }

    @Override
    public void getBillingAccount(GetBillingAccountRequest request, StreamObserver<GetBillingAccountResponse> observer) {
        calls.unary(request, observer, accounts::get);
    }

    @Override
    public void enableBillingAccount(EnableBillingAccountRequest request,
                                     StreamObserver<EnableBillingAccountResponse> observer) {
        calls.unary(request, observer, accounts::enable);
    }

    @Override
    public void disableBillingAccount(DisableBillingAccountRequest request,
                                      StreamObserver<DisableBillingAccountResponse> observer) {
        calls.unary(request, observer, accounts::disable);
    }

    @Override
    public void getBillingBalance(GetBillingBalanceRequest request, StreamObserver<GetBillingBalanceResponse> observer) {
        calls.unary(request, observer, accounts::balance);
    }

    @Override
    public void createBillingUsage(CreateBillingUsageRequest request,
                                   StreamObserver<CreateBillingUsageResponse> observer) {
        calls.unary(request, observer, ledger::createUsage);
    }

    @Override
    public void revertBillingUsage(RevertBillingUsageRequest request,
                                   StreamObserver<RevertBillingUsageResponse> observer) {
        calls.unary(request, observer, ledger::revert);
    }

    @Override
    public void listBillingTransactions(ListBillingTransactionsRequest request,
                                        StreamObserver<ListBillingTransactionsResponse> observer) {
        calls.unary(request, observer, ledger::transactions);
    }

    @Override
    public void totalDebitedTransactions(TotalDebitedTransactionsRequest request,
                                         StreamObserver<TotalDebitedTransactionsResponse> observer) {
        calls.unary(request, observer, ledger::totalDebited);
    }

    @Override
    public void checkCreditEntitlement(CheckCreditEntitlementRequest request,
                                       StreamObserver<CheckCreditEntitlementResponse> observer) {
        calls.unary(request, observer, accounts::checkCredit);
    }

    @Override
    public void createOrganization(CreateOrganizationRequest request,
                                   StreamObserver<CreateOrganizationResponse> observer) {
        calls.unary(request, observer, directory::createOrganization);
    }

    @Override
    public void getOrganization(GetOrganizationRequest request, StreamObserver<GetOrganizationResponse> observer) {
        calls.unary(request, observer, directory::getOrganization);
    }

    @Override
    public void listOrganizationProjects(ListOrganizationProjectsRequest request,
                                         StreamObserver<ListOrganizationProjectsResponse> observer) {
        calls.unary(request, observer, directory::listProjects);
    }

    @Override
    public void createProject(CreateProjectRequest request, StreamObserver<CreateProjectResponse> observer) {
        calls.unary(request, observer, directory::createProject);
    }

    @Override
    public void getProject(GetProjectRequest request, StreamObserver<GetProjectResponse> observer) {
        calls.unary(request, observer, directory::getProject);
    }

    @Override
    public void createServiceUser(CreateServiceUserRequest request, StreamObserver<CreateServiceUserResponse> observer) {
        calls.unary(request, observer, directory::createServiceUser);
    }

    @Override
    public void createServiceUserCredential(CreateServiceUserCredentialRequest request,
                                            StreamObserver<CreateServiceUserCredentialResponse> observer) {
        calls.unary(request, observer, directory::createCredential);
    }

    @Override
    public void listServiceUsers(ListServiceUsersRequest request, StreamObserver<ListServiceUsersResponse> observer) {
        calls.unary(request, observer, serviceUsers::list);
    }

    @Override
    public void getServiceUser(GetServiceUserRequest request, StreamObserver<GetServiceUserResponse> observer) {
        calls.unary(request, observer, serviceUsers::get);
    }

    @Override
    public void deleteServiceUser(DeleteServiceUserRequest request, StreamObserver<DeleteServiceUserResponse> observer) {
        calls.unary(request, observer, serviceUsers::delete);
    }

    @Override
    public void listServiceUserCredentials(ListServiceUserCredentialsRequest request,
                                           StreamObserver<ListServiceUserCredentialsResponse> observer) {
        calls.unary(request, observer, serviceUsers::listCredentials);
    }

    @Override
    public void deleteServiceUserCredential(DeleteServiceUserCredentialRequest request,
                                            StreamObserver<DeleteServiceUserCredentialResponse> observer) {
        calls.unary(request, observer, serviceUsers::deleteCredential);
    }
}
