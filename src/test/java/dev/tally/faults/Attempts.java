package dev.tally.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a request the way a careful client does: with an Idempotency-Key, retried with the same
 * key and body while the outcome is unknown (connection lost, timeout, 5xx, twin in flight).
 * Some attempts get a client timeout of a few milliseconds, cutting requests mid-flight.
 */
final class Attempts {
    /** The final answer, and whether any earlier attempt's outcome was unknown. */
    record Outcome(int status, String body, boolean hadUnknownAttempt) {
        boolean ok() {
            return status == 200;
        }
    }

    private static final int ATTEMPTS_MAX = 120;
    private static final double SHORT_TIMEOUT_SHARE = 0.03;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final String authorization;
    final AtomicLong clientTimeouts = new AtomicLong();
    final AtomicLong unknownOutcomes = new AtomicLong();

    Attempts(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    Outcome send(String method, String path, String body, String key) throws InterruptedException {
        boolean unknown = false;
        for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
            boolean shortTimeout = ThreadLocalRandom.current().nextDouble() < SHORT_TIMEOUT_SHARE;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(shortTimeout ? Duration.ofMillis(2) : Duration.ofSeconds(10))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            try {
                HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean inFlight = reply.statusCode() == 409 && reply.body().contains("\"code\":10");
                if (reply.statusCode() < 500 && !inFlight) {
                    return new Outcome(reply.statusCode(), reply.body(), unknown);
                }
            } catch (HttpTimeoutException e) {
                if (shortTimeout) {
                    clientTimeouts.incrementAndGet();
                }
            } catch (IOException e) {
                // connection refused or reset: the server is restarting
            }
            unknown = true;
            unknownOutcomes.incrementAndGet();
            Thread.sleep(Math.min(1000, 50L * (attempt + 1)));
        }
        return new Outcome(-1, "", true);
    }
}
