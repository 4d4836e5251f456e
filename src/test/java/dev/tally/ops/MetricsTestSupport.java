package dev.tally.ops;

import dev.tally.testing.TallyServer;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a test server's /metrics from its management port. */
final class MetricsTestSupport {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MetricsTestSupport() {}

    static String scrape(TallyServer server) {
        try {
            HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(server.managementUri().resolve("/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("/metrics answered " + reply.statusCode());
            }
            return reply.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
