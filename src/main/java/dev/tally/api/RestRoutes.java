package dev.tally.api;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.auth.Authenticator;
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
    private final Authenticator authenticator;
    private final LedgerRpcs ledger;

    RestRoutes(RpcPipeline pipeline, RpcCatalog catalog, Authenticator authenticator, LedgerRpcs ledger) {
        this.pipeline = pipeline;
        this.catalog = catalog;
        this.authenticator = authenticator;
        this.ledger = ledger;
    }

    public void register(ServerBuilder server) {
        registerBilling(server);
        registerLedger(server);
        registerHolds(server);
        registerDirectory(server);
        registerWebhooks(server);
        registerServiceUserLifecycle(server);
        route(server, HttpMethod.GET, "/v1beta1/admin/audit_logs", AdminServiceGrpc.getListAdminAuditEntriesMethod(),
                NONE); // the audit trail (DESIGN §15)
    }

    /** Webhooks and balance alerts (DESIGN §14). */
    private void registerWebhooks(ServerBuilder server) {
        String webhooks = "/v1beta1/admin/webhooks";
        route(server, HttpMethod.POST, webhooks, AdminServiceGrpc.getCreateWebhookMethod(), BODY_FIELD);
        route(server, HttpMethod.GET, webhooks, AdminServiceGrpc.getListWebhooksMethod(), NONE);
        route(server, HttpMethod.PUT, webhooks + "/{id}", AdminServiceGrpc.getUpdateWebhookMethod(), BODY_FIELD);
        route(server, HttpMethod.DELETE, webhooks + "/{id}", AdminServiceGrpc.getDeleteWebhookMethod(), NONE);
        route(server, HttpMethod.GET, webhooks + "/{id}/deliveries",
                AdminServiceGrpc.getListWebhookDeliveriesMethod(), NONE);
        route(server, HttpMethod.POST, webhooks + "/{id}/deliveries/{event_id}/redeliver",
                AdminServiceGrpc.getRedeliverWebhookEventMethod(), WHOLE);
        route(server, HttpMethod.PUT, ADMIN_ORG_BILLING + "/{id}/alerts",
                AdminServiceGrpc.getUpdateBillingAccountAlertsMethod(), WHOLE);
    }

    /** Frontier's service-user and credential lifecycle (DESIGN §15). */
    private void registerServiceUserLifecycle(ServerBuilder server) {
        String serviceUser = "/v1beta1/organizations/{org_id}/serviceusers/{id}";
        route(server, HttpMethod.GET, "/v1beta1/serviceusers", FrontierServiceGrpc.getListServiceUsersMethod(), NONE);
        route(server, HttpMethod.GET, serviceUser, FrontierServiceGrpc.getGetServiceUserMethod(), NONE);
        route(server, HttpMethod.DELETE, serviceUser, FrontierServiceGrpc.getDeleteServiceUserMethod(), NONE);
        route(server, HttpMethod.GET, serviceUser + "/secrets",
                FrontierServiceGrpc.getListServiceUserCredentialsMethod(), NONE);
        route(server, HttpMethod.DELETE, serviceUser + "/secrets/{secret_id}",
                FrontierServiceGrpc.getDeleteServiceUserCredentialMethod(), NONE);
    }

    private void registerBilling(ServerBuilder server) {
        route(server, HttpMethod.POST, ORG_BILLING, FrontierServiceGrpc.getCreateBillingAccountMethod(), WHOLE);
        route(server, HttpMethod.GET, ORG_BILLING, FrontierServiceGrpc.getListBillingAccountsMethod(), NONE);
        route(server, HttpMethod.GET, ORG_BILLING + "/{id}", FrontierServiceGrpc.getGetBillingAccountMethod(), NONE);
        route(server, HttpMethod.POST, ORG_BILLING + "/{id}/enable",
                FrontierServiceGrpc.getEnableBillingAccountMethod(), WHOLE);
        route(server, HttpMethod.POST, ORG_BILLING + "/{id}/disable",
                FrontierServiceGrpc.getDisableBillingAccountMethod(), WHOLE);
        queryRoute(server, ORG_BILLING + "/{id}/balance", FrontierServiceGrpc.getGetBillingBalanceMethod());
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
        for (String path : new String[] {ORG_BILLING + "/{billing_id}/transactions", ORG_BILLING + "/transactions"}) {
            // Accept: text/csv on the list's path streams the same entries as CSV.
            server.service(Route.builder().path(path).methods(HttpMethod.GET).build(), new TransactionCsvEndpoint(
                    authenticator, ledger, RestEndpoint.bindingQueryDirectly(pipeline,
                    catalog.get(FrontierServiceGrpc.getListBillingTransactionsMethod()))));
        }
        queryRoute(server, ORG_BILLING + "/{billing_id}/usage_summary",
                FrontierServiceGrpc.getGetBillingUsageSummaryMethod());
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
        route(server, HttpMethod.GET, ORG_BILLING + "/{billing_id}/grants", FrontierServiceGrpc.getListBillingGrantsMethod(),
                NONE); // grants (DESIGN §13)
        route(server, HttpMethod.GET, ORG_BILLING + "/{billing_id}/transactions/{id}/allocations",
                FrontierServiceGrpc.getListBillingAllocationsMethod(), NONE);
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

    /** A read a console runs on every view (DESIGN §11): its query string bound without a JSON tree. */
    private void queryRoute(ServerBuilder server, String path, MethodDescriptor<?, ?> rpc) {
        server.route().addRoute(Route.builder().path(path).methods(HttpMethod.GET).build())
                .defaultLogName(rpc.getBareMethodName())
                .build(RestEndpoint.bindingQueryDirectly(pipeline, catalog.get(rpc)));
    }

    private void route(ServerBuilder server, HttpMethod method, String path, MethodDescriptor<?, ?> rpc,
                       RequestBinder.BodyShape shape) {
        // The log name is the RPC's, as gRPC names its calls: metrics and the access log then show
        // one name per RPC on every transport.
        server.route().addRoute(Route.builder().path(path).methods(method).build())
                .defaultLogName(rpc.getBareMethodName())
                .build(new RestEndpoint<>(pipeline, catalog.get(rpc), shape));
    }
}
