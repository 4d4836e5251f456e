package dev.tally.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.Tally;
import dev.tally.common.ErrorCode;

/** Everything the server exposes, wired onto a server builder. */
public final class Api {
    /** Large enough for 1,000 usages that each carry their full 16 KiB of metadata. */
    private static final long REQUEST_LENGTH_MAX_BYTES = 20L * 1024 * 1024;

    private Api() {}

    public static void configure(ServerBuilder server, Tally tally) {
        server.maxRequestLength(REQUEST_LENGTH_MAX_BYTES);
        server.errorHandler(new StatusErrorHandler());
        server.service("/ping", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ok\"}"));
        server.service("/ready", (ctx, req) -> HttpResponse.of(() -> tally.database().isReachable()
                ? HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ready\"}")
                : ErrorResponses.of(ErrorCode.UNAVAILABLE, "database unreachable"), ctx.blockingTaskExecutor()));
        new RestRoutes(tally.authenticator(), tally.idempotency(),
                new BillingAccountRpcs(tally.billingAccounts()),
                new LedgerRpcs(tally.usages(), tally.reverts(), tally.grants(), tally.history(), tally.billingAccounts()),
                new DirectoryRpcs(tally.organizations(), tally.projects(), tally.serviceUsers()))
                .register(server);
    }
}
