package dev.tally.api;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.FrontierServiceGrpc;
import io.grpc.MethodDescriptor;

import static dev.tally.api.RequestBinder.BodyShape.BODY_FIELD;
import static dev.tally.api.RequestBinder.BodyShape.NONE;
import static dev.tally.api.RequestBinder.BodyShape.WHOLE;

/** Frontier's REST paths (DESIGN §3), each bound to its RPC. */
public final class RestRoutes {
    private static final String ORG_BILLING = "/v1beta1/organizations/{org_id}/billing";
    private static final String ADMIN_ORG_BILLING = "/v1beta1/admin/organizations/{org_id}/billing";

    private final RpcPipeline pipeline;
    private final RpcCatalog catalog;

    RestRoutes(RpcPipeline pipeline, RpcCatalog catalog) {
        this.pipeline = pipeline;
        this.catalog = catalog;
    }

    public void register(ServerBuilder server) {
        registerBilling(server);
        registerLedger(server);
        registerHolds(server);
        registerDirectory(server);
    }

    private void registerBilling(ServerBuilder server) {
        route(server, HttpMethod.POST, ORG_BILLING, FrontierServiceGrpc.getCreateBillingAccountMethod(), WHOLE);
        route(server, HttpMethod.GET, ORG_BILLING, FrontierServiceGrpc.getListBillingAccountsMethod(), NONE);
        route(server, HttpMethod.GET, ORG_BILLING + "/{id}", FrontierServiceGrpc.getGetBillingAccountMethod(), NONE);
        route(server, HttpMethod.POST, ORG_BILLING + "/{id}/enable",
                FrontierServiceGrpc.getEnableBillingAccountMethod(), WHOLE);
        route(server, HttpMethod.POST, ORG_BILLING + "/{id}/disable",
                FrontierServiceGrpc.getDisableBillingAccountMethod(), WHOLE);
        route(server, HttpMethod.GET, ORG_BILLING + "/{id}/balance",
                FrontierServiceGrpc.getGetBillingBalanceMethod(), NONE);
        route(server, HttpMethod.POST, "/v1beta1/billing/check",
                FrontierServiceGrpc.getCheckCreditEntitlementMethod(), WHOLE);
        route(server, HttpMethod.PUT, ADMIN_ORG_BILLING + "/{id}/limits",
                AdminServiceGrpc.getUpdateBillingAccountLimitsMethod(), WHOLE);
        route(server, HttpMethod.GET, ADMIN_ORG_BILLING + "/{id}/details",
                AdminServiceGrpc.getGetBillingAccountDetailsMethod(), NONE);
        route(server, HttpMethod.GET, "/v1beta1/admin/billing/accounts",
                AdminServiceGrpc.getListAllBillingAccountsMethod(), NONE);
    }

    private void registerLedger(ServerBuilder server) {
        route(server, HttpMethod.POST, ORG_BILLING + "/{billing_id}/usages",
                FrontierServiceGrpc.getCreateBillingUsageMethod(), WHOLE);
        route(server, HttpMethod.POST, "/v1beta1/organizations/billing/usages",
                FrontierServiceGrpc.getCreateBillingUsageMethod(), WHOLE);
        route(server, HttpMethod.POST, "/v1beta1/organizations/billing/usages/revert",
                FrontierServiceGrpc.getRevertBillingUsageMethod(), WHOLE);
        route(server, HttpMethod.POST, ADMIN_ORG_BILLING + "/{billing_id}/usage/{usage_id}/revert",
                AdminServiceGrpc.getRevertBillingUsageMethod(), WHOLE);
        route(server, HttpMethod.GET, ORG_BILLING + "/{billing_id}/transactions",
                FrontierServiceGrpc.getListBillingTransactionsMethod(), NONE);
        route(server, HttpMethod.GET, ORG_BILLING + "/transactions",
                FrontierServiceGrpc.getListBillingTransactionsMethod(), NONE);
        route(server, HttpMethod.GET, ORG_BILLING + "/{billing_id}/debited_transactions_total",
                FrontierServiceGrpc.getTotalDebitedTransactionsMethod(), NONE);
        route(server, HttpMethod.POST, ADMIN_ORG_BILLING + "/{billing_id}/credits",
                AdminServiceGrpc.getAddBillingCreditsMethod(), WHOLE);
    }

    private void registerHolds(ServerBuilder server) {
        String holds = ORG_BILLING + "/{billing_id}/holds";
        route(server, HttpMethod.POST, holds, FrontierServiceGrpc.getCreateBillingHoldMethod(), WHOLE);
        route(server, HttpMethod.POST, "/v1beta1/organizations/billing/holds",
                FrontierServiceGrpc.getCreateBillingHoldMethod(), WHOLE);
        route(server, HttpMethod.POST, holds + "/{id}/capture", FrontierServiceGrpc.getCaptureBillingHoldMethod(), WHOLE);
        route(server, HttpMethod.POST, holds + "/{id}/release", FrontierServiceGrpc.getReleaseBillingHoldMethod(), WHOLE);
        route(server, HttpMethod.GET, holds + "/{id}", FrontierServiceGrpc.getGetBillingHoldMethod(), NONE);
        route(server, HttpMethod.GET, holds, FrontierServiceGrpc.getListBillingHoldsMethod(), NONE);
    }

    private void registerDirectory(ServerBuilder server) {
        route(server, HttpMethod.POST, "/v1beta1/organizations",
                FrontierServiceGrpc.getCreateOrganizationMethod(), BODY_FIELD);
        route(server, HttpMethod.GET, "/v1beta1/organizations/{id}",
                FrontierServiceGrpc.getGetOrganizationMethod(), NONE);
        route(server, HttpMethod.GET, "/v1beta1/admin/organizations",
                AdminServiceGrpc.getListAllOrganizationsMethod(), NONE);
        route(server, HttpMethod.GET, "/v1beta1/organizations/{id}/projects",
                FrontierServiceGrpc.getListOrganizationProjectsMethod(), NONE);
        route(server, HttpMethod.POST, "/v1beta1/projects", FrontierServiceGrpc.getCreateProjectMethod(), BODY_FIELD);
        route(server, HttpMethod.GET, "/v1beta1/projects/{id}", FrontierServiceGrpc.getGetProjectMethod(), NONE);
        route(server, HttpMethod.POST, "/v1beta1/organizations/{org_id}/serviceusers",
                FrontierServiceGrpc.getCreateServiceUserMethod(), WHOLE);
        route(server, HttpMethod.POST, "/v1beta1/organizations/{org_id}/serviceusers/{id}/secrets",
                FrontierServiceGrpc.getCreateServiceUserCredentialMethod(), WHOLE);
    }

    private void route(ServerBuilder server, HttpMethod method, String path, MethodDescriptor<?, ?> rpc,
                       RequestBinder.BodyShape shape) {
        server.service(Route.builder().path(path).methods(method).build(),
                new RestEndpoint<>(pipeline, catalog.get(rpc), shape));
    }
}
