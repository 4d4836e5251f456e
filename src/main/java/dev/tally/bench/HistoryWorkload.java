package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The history workload (DESIGN §11): on accounts with growing histories, a page of 100, a balance
 * as of a random instant, a 90-day daily summary, and a full CSV export. Costs must stay flat.
 */
final class HistoryWorkload {
    /** How Bench measures one phase. */
    @FunctionalInterface
    interface Measure {
        LoadResult run(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                throws InterruptedException;
    }

    private final BenchApi api;
    private final Measure measure;
    private final String baseUrl;
    private final String authorization;

    HistoryWorkload(BenchApi api, Measure measure, String baseUrl, String authorization) {
        this.api = api;
        this.measure = measure;
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    boolean run(long[] sizes, long credits) throws Exception {
        boolean ok = true;
        for (long size : sizes) {
            BenchApi.BenchAccounts account = api.createAccounts(1, credits);
            String path = account.path(0);
            Instant from = Instant.now();
            long entries = fill(path, size);
            Instant to = Instant.now();
            System.out.printf("f. history of %,d entries%n", entries);
            String secondPage = api.call(HttpMethod.GET, path + "/transactions?page_size=100", null)
                    .path("next_page_token").asText();
            Instant day = to.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            LoadResult[] results = {
                measure.run("   page of 100, " + entries + " entries", () -> api.send(HttpMethod.GET,
                        path + "/transactions?page_size=100&page_token=" + secondPage, null)),
                measure.run("   balance at an instant, " + entries, () -> api.send(HttpMethod.GET,
                        path + "/balance?at=" + between(from, to), null)),
                measure.run("   90-day daily summary, " + entries, () -> api.send(HttpMethod.GET,
                        path + "/usage_summary?window=day&group_by=source&start_range=" + day.minus(90, ChronoUnit.DAYS)
                                + "&end_range=" + day, null)),
            };
            for (LoadResult result : results) {
                System.out.println(result.describe());
                ok &= result.failed() == 0 && result.statusCounts().keySet().stream().allMatch(code -> code == 200);
            }
            long start = System.nanoTime();
            long rows = csvRows(path + "/transactions");
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("   CSV export, %,d rows in %.2f s = %,.0f rows/s%n", rows, seconds, rows / seconds);
            ok &= rows == entries;
        }
        return ok;
    }

    /** Fills the history with 1,000-usage batches; the grant is its first entry. */
    private long fill(String path, long size) {
        long entries = 1;
        while (entries < size) {
            int count = (int) Math.min(1_000, size - entries);
            StringBuilder body = new StringBuilder(count * 100).append("{\"usages\":[");
            for (int usage = 0; usage < count; usage++) {
                body.append(usage == 0 ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID())
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
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", authorization).header("Accept", "text/csv").build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
