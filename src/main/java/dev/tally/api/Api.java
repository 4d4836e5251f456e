package dev.tally.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.tally.Tally;
import dev.tally.common.ErrorCode;
import io.grpc.Status;

import java.util.Locale;

/** Everything the server exposes, wired onto a server builder. */
public final class Api {
    /** Large enough for 1,000 usages that each carry their full 16 KiB of metadata. */
    private static final long REQUEST_LENGTH_MAX_BYTES = 20L * 1024 * 1024;
    private static final int HEADERS_LENGTH_MAX_BYTES = 64 * 1024;

    private Api() {}

    /** Unframed (plain protobuf/JSON) gRPC calls get the one error shape, with the code's HTTP status. */
    private static HttpResponse unframedError(Status status) {
        ErrorCode code = ErrorCode.fromGrpcCode(status.getCode().value()).orElse(ErrorCode.INTERNAL);
        if (code == ErrorCode.INTERNAL) {
            return ErrorResponses.of(code, "internal error"); // never a server-side description
        }
        String description = status.getDescription();
        return ErrorResponses.of(code, description != null ? description : code.name().toLowerCase(Locale.ROOT));
    }

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
        BillingAccountRpcs accounts = new BillingAccountRpcs(tally.billingAccounts());
        LedgerRpcs ledger = new LedgerRpcs(tally.usages(), tally.reverts(), tally.grants(), tally.history(),
                tally.billingAccounts());
        DirectoryRpcs directory = new DirectoryRpcs(tally.organizations(), tally.projects(), tally.serviceUsers());
        ServiceUserRpcs serviceUsers = new ServiceUserRpcs(tally.serviceUsers());
        new RestRoutes(tally.authenticator(), tally.idempotency(), accounts, ledger, directory, serviceUsers)
                .register(server);
        GrpcCalls calls = new GrpcCalls(tally.authenticator());
        // The same RPCs for gRPC, gRPC-Web and unframed (Connect-style unary) protobuf or JSON
        // requests at /raystack.frontier.v1beta1.FrontierService/<Method>; JDBC runs off the event loop.
        server.service(GrpcService.builder()
                .addService(new FrontierGrpcService(calls, accounts, ledger, directory, serviceUsers))
                .addService(new AdminGrpcService(calls, accounts, ledger, directory))
                .supportedSerializationFormats(GrpcSerializationFormats.values())
                .enableUnframedRequests(true)
                .unframedGrpcErrorHandler((ctx, status, response) -> unframedError(status))
                .useBlockingTaskExecutor(true)
                .build());
    }
}
