package dev.tally.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local webhook receiver (an Armeria server on a free port) that records every request and
 * answers as a test tells it: a status per request, or never.
 */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as received. */
    record Received(String body, JsonNode event, Map<String, String> headers, long receivedAtNanos) {
        String id() {
            return event.path("id").asText();
        }

        String action() {
            return event.path("action").asText();
        }

        /** Whether X-Signature is "1=" + hex HMAC-SHA512/256 of the exact body with {@code secretHex}. */
        boolean signatureVerifies(String secretHex) {
            return headers.getOrDefault("x-signature", "").equals(
                    "1=" + Signature.hmacHex(secretHex, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlightById = new ConcurrentHashMap<>();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final Server server;
    private volatile Function<Received, HttpStatus> answer = request -> HttpStatus.OK;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean hang;

    /**
     * A path of this receiver's own: a test class's webhooks outlive its receivers, and a later
     * receiver can be given a closed one's port, so "http://127.0.0.1:port/hook" alone could name a
     * webhook created by an earlier test (a 409 on create, or its deliveries counted here).
     */
    private final String path = "/hook/" + java.util.UUID.randomUUID();

    Receiver() {
        server = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0).requestTimeout(Duration.ofSeconds(120))
                .service(path, (ctx, req) ->
                HttpResponse.of(req.aggregate().thenCompose(request -> {
                    Map<String, String> headers = new ConcurrentHashMap<>();
                    request.headers().forEach((name, value) -> headers.put(name.toString(), value));
                    Received one;
                    try {
                        one = new Received(request.contentUtf8(), MAPPER.readTree(request.contentUtf8()), headers,
                                System.nanoTime());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    received.add(one);
                    if (inFlightById.computeIfAbsent(one.id(), id -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    CompletableFuture<HttpResponse> reply = new CompletableFuture<>();
                    if (hang) {
                        return reply; // never answers; Tally's attempt timeout ends it
                    }
                    Runnable answerNow = () -> {
                        inFlightById.get(one.id()).decrementAndGet();
                        reply.complete(HttpResponse.of(answer.apply(one)));
                    };
                    if (delay.isZero()) {
                        answerNow.run();
                    } else {
                        ctx.eventLoop().schedule(answerNow, delay.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    return reply;
                }))).build();
        server.start().join();
    }

    String url() {
        return "http://127.0.0.1:" + server.activeLocalPort() + path;
    }

    /** Answers each request with what {@code answer} says. */
    Receiver answering(Function<Received, HttpStatus> answer) {
        this.answer = answer;
        return this;
    }

    Receiver delaying(Duration delay) {
        this.delay = delay;
        return this;
    }

    Receiver hanging(boolean hang) {
        this.hang = hang;
        return this;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    List<Received> received(String action) {
        return received.stream().filter(request -> request.action().equals(action)).toList();
    }

    /** What arrived of {@code action} about {@code account} (the event's data.customer_id). */
    List<Received> received(String action, String account) {
        return received(action).stream()
                .filter(request -> request.event().path("data").path("customer_id").asText().equals(account)).toList();
    }

    /** Asserts that at least {@code count} events of {@code action} about {@code account} arrive within 30 s. */
    void awaitAtLeast(int count, String action, String account) {
        assertThat(await(() -> received(action, account).size() >= count))
                .as("%d × %s for %s; received %s", count, action, account, received()).isTrue();
    }

    /** How many times a request arrived while another with the same event id was still unanswered. */
    int overlaps() {
        return overlaps.get();
    }

    /** Waits up to 30 s for {@code condition}; false if it never held. */
    static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
