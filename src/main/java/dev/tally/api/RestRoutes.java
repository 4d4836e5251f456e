package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.api.proto.CheckCreditEntitlementRequest;
import dev.tally.api.proto.CreateBillingAccountRequest;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.CreateOrganizationRequest;
import dev.tally.api.proto.CreateProjectRequest;
import dev.tally.api.proto.CreateServiceUserCredentialRequest;
import dev.tally.api.proto.CreateServiceUserRequest;
import dev.tally.api.proto.DeleteServiceUserCredentialRequest;
import dev.tally.api.proto.DeleteServiceUserRequest;
import dev.tally.api.proto.DisableBillingAccountRequest;
import dev.tally.api.proto.GetServiceUserRequest;
import dev.tally.api.proto.ListServiceUserCredentialsRequest;
import dev.tally.api.proto.ListServiceUsersRequest;
import dev.tally.api.proto.EnableBillingAccountRequest;
import dev.tally.api.proto.GetBillingAccountDetailsRequest;
import dev.tally.api.proto.GetBillingAccountRequest;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetOrganizationRequest;
import dev.tally.api.proto.GetProjectRequest;
import dev.tally.api.proto.ListAllBillingAccountsRequest;
import dev.tally.api.proto.ListAllOrganizationsRequest;
import dev.tally.api.proto.ListBillingAccountsRequest;
import dev.tally.api.proto.ListBillingTransactionsRequest;
import dev.tally.api.proto.ListOrganizationProjectsRequest;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.TotalDebitedTransactionsRequest;
import dev.tally.api.proto.UpdateBillingAccountLimitsRequest;
import dev.tally.auth.Authenticator;
import dev.tally.idempotency.IdempotencyService;

import java.util.function.Supplier;

import static dev.tally.api.RequestBinder.BodyShape.BODY_FIELD;
import static dev.tally.api.RequestBinder.BodyShape.NONE;
import static dev.tally.api.RequestBinder.BodyShape.WHOLE;

/** Frontier's REST paths (DESIGN §3), each bound to its RPC. */
public final class RestRoutes {
    private static final String ORG_BILLING = "/v1beta1/organizations/{org_id}/billing";
    private static final String ADMIN_ORG_BILLING = "/v1beta1/admin/organizations/{org_id}/billing";

    private final Authenticator authenticator;
    private final IdempotencyService idempotency;
    private final BillingAccountRpcs accounts;
    private final LedgerRpcs ledger;
    private final DirectoryRpcs directory;
    private final ServiceUserRpcs serviceUsers;

    RestRoutes(Authenticator authenticator, IdempotencyService idempotency, BillingAccountRpcs accounts,
               LedgerRpcs ledger, DirectoryRpcs directory, ServiceUserRpcs serviceUsers) {
        this.serviceUsers = serviceUsers;
        this.authenticator = authenticator;
        this.idempotency = idempotency;
        this.accounts = accounts;
        this.ledger = ledger;
        this.directory = directory;
    }

    public void register(ServerBuilder server) {
        registerBilling(server);
        registerLedger(server);
        registerDirectory(server);
        registerServiceUserLifecycle(server);
    }

    private void registerServiceUserLifecycle(ServerBuilder server) {
        String serviceUser = "/v1beta1/organizations/{org_id}/serviceusers/{id}";
        route(server, HttpMethod.GET, "/v1beta1/serviceusers", ListServiceUsersRequest::newBuilder, NONE,
                serviceUsers::list);
        route(server, HttpMethod.GET, serviceUser, GetServiceUserRequest::newBuilder, NONE, serviceUsers::get);
        route(server, HttpMethod.DELETE, serviceUser, DeleteServiceUserRequest::newBuilder, NONE, serviceUsers::delete);
        route(server, HttpMethod.GET, serviceUser + "/secrets", ListServiceUserCredentialsRequest::newBuilder, NONE,
                serviceUsers::listCredentials);
        route(server, HttpMethod.DELETE, serviceUser + "/secrets/{secret_id}",
                DeleteServiceUserCredentialRequest::newBuilder, NONE, serviceUsers::deleteCredential);
    }

    private void registerBilling(ServerBuilder server) {
        route(server, HttpMethod.POST, ORG_BILLING, CreateBillingAccountRequest::newBuilder, WHOLE,
                accounts::create);
        route(server, HttpMethod.GET, ORG_BILLING, ListBillingAccountsRequest::newBuilder, NONE, accounts::list);
        route(server, HttpMethod.GET, ORG_BILLING + "/{id}", GetBillingAccountRequest::newBuilder, NONE,
                accounts::get);
        route(server, HttpMethod.POST, ORG_BILLING + "/{id}/enable", EnableBillingAccountRequest::newBuilder, WHOLE,
                accounts::enable);
        route(server, HttpMethod.POST, ORG_BILLING + "/{id}/disable", DisableBillingAccountRequest::newBuilder, WHOLE,
                accounts::disable);
        route(server, HttpMethod.GET, ORG_BILLING + "/{id}/balance", GetBillingBalanceRequest::newBuilder, NONE,
                accounts::balance);
        route(server, HttpMethod.POST, "/v1beta1/billing/check", CheckCreditEntitlementRequest::newBuilder, WHOLE,
                accounts::checkCredit);
        route(server, HttpMethod.PUT, ADMIN_ORG_BILLING + "/{id}/limits", UpdateBillingAccountLimitsRequest::newBuilder,
                WHOLE, accounts::updateLimits);
        route(server, HttpMethod.GET, ADMIN_ORG_BILLING + "/{id}/details", GetBillingAccountDetailsRequest::newBuilder,
                NONE, accounts::details);
        route(server, HttpMethod.GET, "/v1beta1/admin/billing/accounts", ListAllBillingAccountsRequest::newBuilder,
                NONE, accounts::listAll);
    }

    private void registerLedger(ServerBuilder server) {
        route(server, HttpMethod.POST, ORG_BILLING + "/{billing_id}/usages", CreateBillingUsageRequest::newBuilder,
                WHOLE, ledger::createUsage);
        route(server, HttpMethod.POST, "/v1beta1/organizations/billing/usages", CreateBillingUsageRequest::newBuilder,
                WHOLE, ledger::createUsage);
        route(server, HttpMethod.POST, "/v1beta1/organizations/billing/usages/revert",
                RevertBillingUsageRequest::newBuilder, WHOLE, ledger::revert);
        route(server, HttpMethod.POST, ADMIN_ORG_BILLING + "/{billing_id}/usage/{usage_id}/revert",
                RevertBillingUsageRequest::newBuilder, WHOLE, ledger::revert);
        route(server, HttpMethod.GET, ORG_BILLING + "/{billing_id}/transactions",
                ListBillingTransactionsRequest::newBuilder, NONE, ledger::transactions);
        route(server, HttpMethod.GET, ORG_BILLING + "/transactions", ListBillingTransactionsRequest::newBuilder, NONE,
                ledger::transactions);
        route(server, HttpMethod.GET, ORG_BILLING + "/{billing_id}/debited_transactions_total",
                TotalDebitedTransactionsRequest::newBuilder, NONE, ledger::totalDebited);
        route(server, HttpMethod.POST, ADMIN_ORG_BILLING + "/{billing_id}/credits", AddBillingCreditsRequest::newBuilder,
                WHOLE, ledger::addCredits);
    }

    private void registerDirectory(ServerBuilder server) {
        route(server, HttpMethod.POST, "/v1beta1/organizations", CreateOrganizationRequest::newBuilder, BODY_FIELD,
                directory::createOrganization);
        route(server, HttpMethod.GET, "/v1beta1/organizations/{id}", GetOrganizationRequest::newBuilder, NONE,
                directory::getOrganization);
        route(server, HttpMethod.GET, "/v1beta1/admin/organizations", ListAllOrganizationsRequest::newBuilder, NONE,
                directory::listAllOrganizations);
        route(server, HttpMethod.GET, "/v1beta1/organizations/{id}/projects",
                ListOrganizationProjectsRequest::newBuilder, NONE, directory::listProjects);
        route(server, HttpMethod.POST, "/v1beta1/projects", CreateProjectRequest::newBuilder, BODY_FIELD,
                directory::createProject);
        route(server, HttpMethod.GET, "/v1beta1/projects/{id}", GetProjectRequest::newBuilder, NONE,
                directory::getProject);
        route(server, HttpMethod.POST, "/v1beta1/organizations/{org_id}/serviceusers",
                CreateServiceUserRequest::newBuilder, WHOLE, directory::createServiceUser);
        route(server, HttpMethod.POST, "/v1beta1/organizations/{org_id}/serviceusers/{id}/secrets",
                CreateServiceUserCredentialRequest::newBuilder, WHOLE, directory::createCredential);
    }

    private <Q extends Message> void route(ServerBuilder server, HttpMethod method, String path,
                                           Supplier<Message.Builder> newRequest, RequestBinder.BodyShape shape,
                                           RestEndpoint.Rpc<Q> rpc) {
        // The log name is the RPC's (GetBillingBalanceRequest -> GetBillingBalance), as gRPC names its calls:
        // metrics and the access log then show one name per RPC on every transport.
        String rpcName = newRequest.get().getDescriptorForType().getName().replaceFirst("Request$", "");
        server.route().addRoute(Route.builder().path(path).methods(method).build()).defaultLogName(rpcName)
                .build(new RestEndpoint<>(authenticator, idempotency, newRequest, shape, rpc));
    }
}
