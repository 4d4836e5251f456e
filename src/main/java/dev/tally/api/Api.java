package dev.tally.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.Tally;
import dev.tally.common.ErrorCode;

/** Everything the server exposes, wired onto a server builder. */
public final class Api {
    /** Large enough for 1,000 usages that each carry their full 16 KiB of metadata. */
    private static final long REQUEST_LENGTH_MAX_BYTES = 20L * 1024 * 1024;
    private static final int HEADERS_LENGTH_MAX_BYTES = 64 * 1024;

    private Api() {}

    public static void configure(ServerBuilder server, Tally tally) {
        server.maxRequestLength(REQUEST_LENGTH_MAX_BYTES);
        // Room for long headers, so that an oversized Authorization is refused by authentication
        // (401) rather than by the HTTP codec.
        server.http1MaxHeaderSize(HEADERS_LENGTH_MAX_BYTES);
        server.http2MaxHeaderListSize(HEADERS_LENGTH_MAX_BYTES);
        server.errorHandler(new StatusErrorHandler());
        server.service("/ping", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ok\"}"));
        server.service("/ready", (ctx, req) -> HttpResponse.of(() -> tally.database().isReachable()
                ? HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ready\"}")
                : ErrorResponses.of(ErrorCode.UNAVAILABLE, "database unreachable"), ctx.blockingTaskExecutor()));
        LedgerRpcs ledger = ledger(tally);
        RpcCatalog catalog = catalog(tally, ledger);
        RpcPipeline pipeline = new RpcPipeline(tally.authenticator(), tally.idempotency());
        new RestRoutes(pipeline, catalog, tally.authenticator(), ledger).register(server);
        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                // Unframed requests are served by the Connect adapter below; this only lets them
                // through Armeria's routing to it.
                .enableUnframedRequests(true)
                .exceptionHandler(GrpcServices::failureStatus)
                .useBlockingTaskExecutor(true); // JDBC runs off the event loop
        new GrpcServices(pipeline, catalog).definitions(FrontierServiceGrpc.getServiceDescriptor(),
                AdminServiceGrpc.getServiceDescriptor()).forEach(grpc::addService);
        // One path per RPC, /raystack.frontier.v1beta1.<Service>/<Method>, for gRPC, gRPC-Web and
        // Connect: the Content-Type says which transport a request speaks.
        ConnectService connect = new ConnectService(pipeline, catalog, (int) REQUEST_LENGTH_MAX_BYTES);
        server.service(grpc.build(), service -> service.decorate((delegate, ctx, req) ->
                ConnectService.accepts(req.headers()) ? connect.serve(ctx, req) : delegate.serve(ctx, req)));
        server.serviceUnder("/docs", DocService.builder().build());
    }

    static LedgerRpcs ledger(Tally tally) {
        return new LedgerRpcs(tally.usages(), tally.reverts(), tally.grants(), tally.history(),
                tally.usageSummaries(), tally.billingAccounts());
    }

    /** Every RPC of {@code tally}, as each transport serves it; {@code ledger} is shared with the CSV route. */
    static RpcCatalog catalog(Tally tally, LedgerRpcs ledger) {
        BillingAccountRpcs accounts = new BillingAccountRpcs(tally.billingAccounts(), tally.history(), tally.holds());
        DirectoryRpcs directory = new DirectoryRpcs(tally.organizations(), tally.projects(), tally.serviceUsers());
        WebhookRpcs webhooks = new WebhookRpcs(tally.webhooks());
        ServiceUserRpcs serviceUsers = new ServiceUserRpcs(tally.serviceUsers());
        AuditRpcs audit = new AuditRpcs(tally.auditLog());
        RpcCatalog catalog = new RpcCatalog(accounts, ledger, directory, webhooks, serviceUsers, audit);
        catalog.addHolds(new HoldRpcs(tally.holds()));
        catalog.addGrants(new GrantRpcs(tally.grants()));
        return catalog;
    }
}
