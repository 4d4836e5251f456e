package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import dev.tally.common.Ids;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The history workload (DESIGN §11): on accounts with growing histories, a page of 100, a balance
 * as of a random instant, a 90-day daily summary, and a full CSV export. Costs must stay flat: the
 * figures of every size are printed as a ratio to the largest size's. Before the first size is
 * measured, an unmeasured pass of every request kind on that same account warms the server (JIT,
 * connection pool, PostgreSQL's plan and buffer caches), so that the first size is not measured on
 * a colder server than the last one.
 */
final class HistoryWorkload {
    /** How Bench runs one phase: measured (with the server's CPU per request when known), or only to warm up. */
    interface Phases {
        Measured measure(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                throws InterruptedException;

        /** One unmeasured run of {@link #warmUpSeconds}. */
        LoadResult warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                throws InterruptedException;

        /** How long one warm-up run lasts: --warmup-seconds; 0 warms nothing. */
        int warmUpSeconds();
    }

    /** A measured phase and the server's CPU per request in it (NaN when the server's pid is unknown). */
    record Measured(LoadResult result, double cpuMicrosPerRequest) {}

    /** What one size measured, for the ratios between sizes. */
    private record SizeFigures(long entries, Measured page, Measured balanceAt, Measured summary,
                               double csvRowsPerSecond) {}

    /** DESIGN §11: the figures at 10,000 entries within 20 % of those at 1,000,000. */
    private static final double FLAT_WITHIN = 0.20;
    private static final int WARM_UP_EXPORTS = 5;
    /** How long the CSV exports of one size are repeated for (see {@link #csvRate}). */
    private static final long CSV_SECONDS_MIN = 1;
    /**
     * How long each request kind is warmed before the first size is measured, in runs of
     * --warmup-seconds: at least {@value #WARM_UP_RUNS_MIN} of them and {@value
     * #WARM_UP_REQUESTS_MIN_PER_SECOND} requests per second of --warmup-seconds, at most {@value
     * #WARM_UP_RUNS_MAX} runs; with the documented --warmup-seconds 5, at least 30 s and 20,000
     * requests, at most 2 minutes. The JIT keeps compiling for tens of seconds under load: with one
     * run of 5 s per kind and 2,000 requests, the first size still measured a page's p99 at twice
     * the last size's on a quiet machine (docs/benchmarks.md). A starved server (a loaded machine
     * may serve a few requests a second) is warmed by request count instead, up to the maximum.
     */
    private static final int WARM_UP_RUNS_MIN = 6;
    private static final long WARM_UP_REQUESTS_MIN_PER_SECOND = 4_000;
    private static final int WARM_UP_RUNS_MAX = 24;

    private final BenchApi api;
    private final Phases phases;
    private final String baseUrl;
    private final String authorization;
    /** The server's process id for its heap figures (jcmd); 0 when unknown. */
    private final long serverPid;
    /** The database's JDBC url, for {@link HistorySettle}; null when the bench was not given one. */
    private final String dbUrl;
    /**
     * One client for every export: a new one per export (its selector thread, a new connection)
     * cost tens of milliseconds, as much as streaming 10,000 rows.
     */
    private final HttpClient csvClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    HistoryWorkload(BenchApi api, Phases phases, String baseUrl, String authorization, long serverPid,
                    String dbUrl) {
        this.api = api;
        this.phases = phases;
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.serverPid = serverPid;
        this.dbUrl = dbUrl;
    }

    boolean run(long[] sizes, long credits) throws Exception {
        boolean ok = true;
        List<SizeFigures> figures = new ArrayList<>();
        for (long size : sizes) {
            History history = History.fill(api, credits, size);
            HistorySettle.afterFill(dbUrl);
            if (figures.isEmpty()) {
                warmUp(history);
            }
            System.out.printf("f. history of %,d entries%n", history.entries());
            Measured page = measured(phases.measure("   page of 100, " + history.entries() + " entries",
                    history::page));
            Measured balanceAt = measured(phases.measure("   balance at an instant, " + history.entries(),
                    history::balanceAt));
            Measured summary = measured(phases.measure("   90-day daily summary, " + history.entries(),
                    history::summary));
            for (Measured phase : List.of(page, balanceAt, summary)) {
                LoadResult result = phase.result();
                ok &= result.failed() == 0 && result.statusCounts().keySet().stream().allMatch(code -> code == 200);
            }
            long heapBefore = serverPid > 0 ? ServerHeap.liveBytes(serverPid) : -1;
            CsvRate csv = csvRate(history);
            System.out.printf("   CSV export, %d export%s of %,d rows, %,d rows in %.2f s = %,.0f rows/s%n",
                    csv.exports(), csv.exports() == 1 ? "" : "s", history.entries(), csv.rows(), csv.seconds(),
                    csv.rowsPerSecond());
            if (heapBefore >= 0) {
                long heapAfter = ServerHeap.liveBytes(serverPid);
                System.out.printf("   server heap after a full GC (jcmd GC.heap_info used): %,d KiB before the"
                        + " exports, %,d KiB after%n", heapBefore / 1024, heapAfter / 1024);
            }
            ok &= csv.rows() == csv.exports() * history.entries();
            figures.add(new SizeFigures(history.entries(), page, balanceAt, summary, csv.rowsPerSecond()));
        }
        printRatios(figures);
        return ok;
    }

    /** Exports of one history, rows summed over them. */
    private record CsvRate(int exports, long rows, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /**
     * Exports the history again until {@link #CSV_SECONDS_MIN} have passed (at least once): one
     * export of 10,000 entries takes a few hundredths of a second, which its fixed costs (connection,
     * headers, the first page's query) dominate, so one export's rate is no figure to compare with the
     * 1,000,000 entries' rate.
     */
    private CsvRate csvRate(History history) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int exports = 0;
        long rows = 0;
        do {
            rows += csvRows(history.path() + "/transactions");
            exports++;
        } while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(CSV_SECONDS_MIN));
        return new CsvRate(exports, rows, (System.nanoTime() - start) / 1e9);
    }

    private static Measured measured(Measured phase) {
        System.out.println(phase.result().describe());
        return phase;
    }

    /** Every request kind on the first size's account, unmeasured, then the export a few times. */
    private void warmUp(History history) throws Exception {
        System.out.printf("f. warm-up (not measured): every request kind on the history of %,d entries%n",
                history.entries());
        warmUp("page of 100", history::page);
        warmUp("balance at an instant", history::balanceAt);
        warmUp("90-day daily summary", history::summary);
        for (int export = 0; export < WARM_UP_EXPORTS; export++) {
            csvRows(history.path() + "/transactions");
        }
    }

    /** Warms one request kind (see {@link #WARM_UP_RUNS_MIN}); returns how many runs it took. */
    int warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        int seconds = phases.warmUpSeconds();
        long requestsMin = WARM_UP_REQUESTS_MIN_PER_SECOND * seconds;
        long requests = 0;
        int runs = 0;
        while (seconds > 0 && runs < WARM_UP_RUNS_MAX && (runs < WARM_UP_RUNS_MIN || requests < requestsMin)) {
            requests += phases.warmUp("   warm-up " + name, request).requests();
            runs++;
        }
        System.out.printf("   warm-up %-22s %,d requests in %.1f s%n", name, requests,
                (System.nanoTime() - startNanos) / 1e9);
        return runs;
    }

    /** Each size's figures over the largest size's: 1.00 is flat, DESIGN §11 allows 0.80 to 1.20. */
    private static void printRatios(List<SizeFigures> figures) {
        if (figures.size() < 2) {
            return;
        }
        SizeFigures largest = figures.get(figures.size() - 1);
        for (SizeFigures size : figures.subList(0, figures.size() - 1)) {
            System.out.printf("f. ratios %,d / %,d entries (flat within %.0f %%: %.2f to %.2f)%n", size.entries(),
                    largest.entries(), FLAT_WITHIN * 100, 1 - FLAT_WITHIN, 1 + FLAT_WITHIN);
            phaseRatios("page of 100", size.page(), largest.page());
            phaseRatios("balance at an instant", size.balanceAt(), largest.balanceAt());
            phaseRatios("90-day daily summary", size.summary(), largest.summary());
            System.out.printf("   %-22s rows/s %s%n", "CSV export", ratio(size.csvRowsPerSecond(),
                    largest.csvRowsPerSecond(), "%,.0f"));
        }
    }

    private static void phaseRatios(String name, Measured size, Measured largest) {
        System.out.printf("   %-22s p99 ms %s   req/s %s   CPU us/req %s%n", name,
                ratio(p99Millis(size), p99Millis(largest), "%.2f"),
                ratio(size.result().requestsPerSecond(), largest.result().requestsPerSecond(), "%.0f"),
                ratio(size.cpuMicrosPerRequest(), largest.cpuMicrosPerRequest(), "%.0f"));
    }

    private static double p99Millis(Measured phase) {
        return phase.result().latencyMicros().getValueAtPercentile(99) / 1000.0;
    }

    private static String ratio(double size, double largest, String format) {
        if (Double.isNaN(size) || Double.isNaN(largest) || largest == 0) {
            return "n/a";
        }
        double ratio = size / largest;
        return String.format(format + " / " + format + " = %.2f%s", size, largest, ratio,
                Math.abs(ratio - 1) <= FLAT_WITHIN ? "" : " (off)");
    }

    /** An account filled with a history, and the requests measured on it. */
    private record History(BenchApi api, String path, long entries, Instant from, Instant to, String secondPage) {
        static History fill(BenchApi api, long credits, long size) {
            String path = api.createAccounts(1, credits).path(0);
            Instant from = Instant.now();
            long entries = HistoryWorkload.fill(api, path, size);
            Instant to = Instant.now();
            String secondPage = api.call(HttpMethod.GET, path + "/transactions?page_size=100", null)
                    .path("next_page_token").asText();
            return new History(api, path, entries, from, to, secondPage);
        }

        CompletableFuture<AggregatedHttpResponse> page() {
            return api.send(HttpMethod.GET, path + "/transactions?page_size=100&page_token=" + secondPage, null);
        }

        CompletableFuture<AggregatedHttpResponse> balanceAt() {
            return api.send(HttpMethod.GET, path + "/balance?at=" + between(from, to), null);
        }

        CompletableFuture<AggregatedHttpResponse> summary() {
            Instant day = to.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            return api.send(HttpMethod.GET, path + "/usage_summary?window=day&group_by=source&start_range="
                    + day.minus(90, ChronoUnit.DAYS) + "&end_range=" + day, null);
        }
    }

    /** Fills the history with 1,000-usage batches; the grant is its first entry. */
    private static long fill(BenchApi api, String path, long size) {
        long entries = 1;
        while (entries < size) {
            int count = (int) Math.min(1_000, size - entries);
            StringBuilder body = new StringBuilder(count * 100).append("{\"usages\":[");
            for (int usage = 0; usage < count; usage++) {
                body.append(usage == 0 ? "" : ",").append("{\"id\":\"").append(Ids.unguarded())
                        .append("\",\"amount\":\"1\",\"source\":\"s").append(usage % 4).append("\"}");
            }
            api.call(HttpMethod.POST, path + "/usages", body.append("]}").toString());
            entries += count;
        }
        return entries;
    }

    private static Instant between(Instant from, Instant to) {
        long span = Math.max(1, Duration.between(from, to).toNanos());
        return from.plusNanos(ThreadLocalRandom.current().nextLong(span)).truncatedTo(ChronoUnit.MICROS);
    }

    /** Streams the CSV export and counts its data rows, without holding it. */
    private long csvRows(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", authorization).header("Accept", "text/csv").build();
        HttpResponse<InputStream> response = csvClient.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("CSV export answered " + response.statusCode());
        }
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream body = response.body()) {
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                for (int index = 0; index < read; index++) {
                    if (buffer[index] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines - 1; // the header; bench sources and descriptions hold no line breaks
    }
}
