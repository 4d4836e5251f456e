package dev.tally.api;

import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.FrontierServiceGrpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every RPC Tally serves, once: REST routes, gRPC services and the Connect adapter all look their
 * RPC up here, so a new RPC is added in one place and reaches every transport.
 */
final class RpcCatalog {
    private final Map<String, RpcMethod<?, ?>> byFullName = new LinkedHashMap<>();

    RpcCatalog(BillingAccountRpcs accounts, LedgerRpcs ledger, DirectoryRpcs directory, WebhookRpcs webhooks,
               ServiceUserRpcs serviceUsers, AuditRpcs audit) {
        changes(FrontierServiceGrpc.getCreateBillingAccountMethod(), accounts::create);
        reads(FrontierServiceGrpc.getListBillingAccountsMethod(), accounts::list);
        reads(FrontierServiceGrpc.getGetBillingAccountMethod(), accounts::get);
        changes(FrontierServiceGrpc.getEnableBillingAccountMethod(), accounts::enable);
        changes(FrontierServiceGrpc.getDisableBillingAccountMethod(), accounts::disable);
        reads(FrontierServiceGrpc.getGetBillingBalanceMethod(), accounts::balance);
        changesLater(FrontierServiceGrpc.getCreateBillingUsageMethod(), ledger::createUsage);
        changes(FrontierServiceGrpc.getRevertBillingUsageMethod(), ledger::revert);
        readsAnswering(FrontierServiceGrpc.getListBillingTransactionsMethod(), ledger::transactions);
        reads(FrontierServiceGrpc.getGetBillingUsageSummaryMethod(), ledger::usageSummary);
        reads(FrontierServiceGrpc.getTotalDebitedTransactionsMethod(), ledger::totalDebited);
        reads(FrontierServiceGrpc.getCheckCreditEntitlementMethod(), accounts::checkCredit);
        changes(FrontierServiceGrpc.getCreateOrganizationMethod(), directory::createOrganization);
        reads(FrontierServiceGrpc.getGetOrganizationMethod(), directory::getOrganization);
        reads(FrontierServiceGrpc.getListOrganizationProjectsMethod(), directory::listProjects);
        changes(FrontierServiceGrpc.getCreateProjectMethod(), directory::createProject);
        reads(FrontierServiceGrpc.getGetProjectMethod(), directory::getProject);
        changes(FrontierServiceGrpc.getCreateServiceUserMethod(), directory::createServiceUser);
        changesAnsweringASecret(FrontierServiceGrpc.getCreateServiceUserCredentialMethod(), directory::createCredential);
        reads(FrontierServiceGrpc.getListServiceUsersMethod(), serviceUsers::list);
        reads(FrontierServiceGrpc.getGetServiceUserMethod(), serviceUsers::get);
        changes(FrontierServiceGrpc.getDeleteServiceUserMethod(), serviceUsers::delete);
        reads(FrontierServiceGrpc.getListServiceUserCredentialsMethod(), serviceUsers::listCredentials);
        changes(FrontierServiceGrpc.getDeleteServiceUserCredentialMethod(), serviceUsers::deleteCredential);

        reads(AdminServiceGrpc.getListAllOrganizationsMethod(), directory::listAllOrganizations);
        reads(AdminServiceGrpc.getListAllBillingAccountsMethod(), accounts::listAll);
        changes(AdminServiceGrpc.getRevertBillingUsageMethod(), ledger::revert);
        changes(AdminServiceGrpc.getUpdateBillingAccountLimitsMethod(), accounts::updateLimits);
        reads(AdminServiceGrpc.getGetBillingAccountDetailsMethod(), accounts::details);
        changes(AdminServiceGrpc.getAddBillingCreditsMethod(), ledger::addCredits);

        changesAnsweringASecret(AdminServiceGrpc.getCreateWebhookMethod(), webhooks::create);
        changes(AdminServiceGrpc.getUpdateWebhookMethod(), webhooks::update);
        changes(AdminServiceGrpc.getDeleteWebhookMethod(), webhooks::delete);
        reads(AdminServiceGrpc.getListWebhooksMethod(), webhooks::list);
        reads(AdminServiceGrpc.getListWebhookDeliveriesMethod(), webhooks::deliveries);
        changes(AdminServiceGrpc.getRedeliverWebhookEventMethod(), webhooks::redeliver);
        changes(AdminServiceGrpc.getUpdateBillingAccountAlertsMethod(), webhooks::updateAlerts);
        reads(AdminServiceGrpc.getListAdminAuditEntriesMethod(), audit::list);
    }

    /** A read whose answer writes its own JSON ({@link Answer}); its message must be an R. */
    private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> void readsAnswering(
            io.grpc.MethodDescriptor<Q, R> descriptor, RpcMethod.Answering<Q> answering) {
        byFullName.put(descriptor.getFullMethodName(), RpcMethod.answering(descriptor, answering, false));
    }

    /** The grant reads (DESIGN §13). */
    void addGrants(GrantRpcs grants) {
        reads(FrontierServiceGrpc.getListBillingGrantsMethod(), grants::list);
        reads(FrontierServiceGrpc.getListBillingAllocationsMethod(), grants::allocations);
    }

    /** The hold RPCs (DESIGN §12). */
    void addHolds(HoldRpcs holds) {
        changesLater(FrontierServiceGrpc.getCreateBillingHoldMethod(), holds::create);
        changesLater(FrontierServiceGrpc.getCaptureBillingHoldMethod(), holds::capture);
        changes(FrontierServiceGrpc.getReleaseBillingHoldMethod(), holds::release);
        reads(FrontierServiceGrpc.getGetBillingHoldMethod(), holds::get);
        reads(FrontierServiceGrpc.getListBillingHoldsMethod(), holds::list);
    }

    /** The RPC named {@code package.Service/Method}, if Tally serves it. */
    Optional<RpcMethod<?, ?>> find(String fullName) {
        return Optional.ofNullable(byFullName.get(fullName));
    }

    /** The RPC of a generated descriptor; every descriptor a route names is in the catalog. */
    RpcMethod<?, ?> get(io.grpc.MethodDescriptor<?, ?> descriptor) {
        return find(descriptor.getFullMethodName()).orElseThrow(() ->
                new IllegalStateException("not in the catalog: " + descriptor.getFullMethodName()));
    }

    private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> void changes(
            io.grpc.MethodDescriptor<Q, R> descriptor, RpcMethod.Handler<Q, R> handler) {
        byFullName.put(descriptor.getFullMethodName(), RpcMethod.answeringMessages(descriptor, handler, true, false));
    }

    /** A change answered from a future (a usage, a hold's placement or capture: from its lane's commit), with no thread waiting for it. */
    private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> void changesLater(
            io.grpc.MethodDescriptor<Q, R> descriptor, RpcMethod.Deferred<Q, R> deferred) {
        byFullName.put(descriptor.getFullMethodName(), RpcMethod.deferring(descriptor, deferred, true));
    }

    /**
     * A change whose answer shows a secret once (a credential's, a webhook's): Tally stores secrets
     * only as they must be kept, so such an answer is never recorded for an Idempotency-Key replay.
     */
    private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> void changesAnsweringASecret(
            io.grpc.MethodDescriptor<Q, R> descriptor, RpcMethod.Handler<Q, R> handler) {
        byFullName.put(descriptor.getFullMethodName(), RpcMethod.answeringMessages(descriptor, handler, true, true));
    }

    private <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> void reads(
            io.grpc.MethodDescriptor<Q, R> descriptor, RpcMethod.Handler<Q, R> handler) {
        byFullName.put(descriptor.getFullMethodName(), RpcMethod.answeringMessages(descriptor, handler, false, false));
    }
}
