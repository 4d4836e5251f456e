package dev.tally.api;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.api.proto.ListBillingTransactionsRequest;
import dev.tally.auth.Authenticator;
import dev.tally.auth.Principal;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.TransactionExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * ListBillingTransactions' path with {@code Accept: text/csv}: every entry in range as CSV,
 * streamed. One chunk is read and written only after the previous one was sent, so the server
 * holds one chunk per export and no connection between chunks, however many entries there are.
 * Any other Accept is served by the JSON endpoint.
 */
final class TransactionCsvEndpoint implements HttpService {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCsvEndpoint.class);
    private static final int CHUNK_ENTRIES = 2_000;

    private final Authenticator authenticator;
    private final LedgerRpcs ledger;
    private final HttpService json;

    TransactionCsvEndpoint(Authenticator authenticator, LedgerRpcs ledger, HttpService json) {
        this.authenticator = authenticator;
        this.ledger = ledger;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (!wantsCsv(req)) {
            return json.serve(ctx, req);
        }
        return HttpResponse.of(req.aggregate().thenApplyAsync(aggregated -> start(ctx, aggregated),
                ctx.blockingTaskExecutor()));
    }

    private static boolean wantsCsv(HttpRequest req) {
        return req.headers().accept().stream()
                .anyMatch(type -> type.type().equalsIgnoreCase("text") && type.subtype().equalsIgnoreCase("csv"));
    }

    /** Checks everything before the first byte, so a refusal is an ordinary error reply. */
    private HttpResponse start(ServiceRequestContext ctx, AggregatedHttpRequest request) {
        TransactionExport export;
        try {
            Principal principal = authenticator.authenticate(request.headers().get(HttpHeaderNames.AUTHORIZATION));
            var listRequest = (ListBillingTransactionsRequest) QueryStringBinder.bind(
                    ListBillingTransactionsRequest.getDefaultInstance(), ctx.queryParams(), ctx.pathParams());
            export = ledger.export(principal, listRequest);
        } catch (RuntimeException failure) {
            return ErrorResponses.of(failure);
        }
        // An export of a long history outlasts the request timeout; it is bounded by the client reading it.
        ctx.clearRequestTimeout();
        HttpResponseWriter writer = HttpResponse.streaming();
        writer.write(ResponseHeaders.builder(HttpStatus.OK)
                .contentType(MediaType.CSV_UTF_8)
                .add(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"transactions.csv\"")
                .build());
        writer.write(HttpData.ofUtf8(CsvRows.HEADER));
        writeNext(writer, export, ctx.blockingTaskExecutor());
        return writer;
    }

    private static void writeNext(HttpResponseWriter writer, TransactionExport export, Executor executor) {
        writer.whenConsumed().thenRunAsync(() -> {
            try {
                List<LedgerEntry> chunk = export.next(CHUNK_ENTRIES);
                if (chunk.isEmpty()) {
                    writer.close();
                } else if (writer.tryWrite(HttpData.ofUtf8(CsvRows.rows(chunk)))) {
                    writeNext(writer, export, executor);
                }
            } catch (RuntimeException failure) {
                // Headers are sent; all that is left is to cut the stream so the file is visibly incomplete.
                LOG.warn("A CSV export failed part way", failure);
                writer.abort(failure);
            }
        }, executor);
    }
}
