package dev.tally.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault run's webhook receiver: the JDK's HTTP server on a free loopback port, recording each
 * event it gets. It answers 500 to a share of requests, so that retries happen during the faults
 * too, and checks every signature.
 */
final class FaultReceiver implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final double failureShare;
    private final ConcurrentLinkedQueue<WebhookAudit.Received> received = new ConcurrentLinkedQueue<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong answered500 = new AtomicLong();
    final AtomicLong badSignatures = new AtomicLong();
    private volatile byte[] secret;

    FaultReceiver(double failureShare) throws IOException {
        this.failureShare = failureShare;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("fault-receiver-", 0)
                .factory()));
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The webhook's secret (hex), once it was created; signatures are checked from then on. */
    void secret(String hex) {
        secret = HexFormat.of().parseHex(hex);
    }

    List<WebhookAudit.Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            requests.incrementAndGet();
            if (!signatureVerifies(exchange.getRequestHeaders().getFirst("X-Signature"), body)) {
                badSignatures.incrementAndGet();
            }
            if (ThreadLocalRandom.current().nextDouble() < failureShare) {
                answered500.incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            // Recorded only when answered 200: an event answered 500 alone was not delivered.
            received.add(parse(MAPPER.readTree(body)));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    static WebhookAudit.Received parse(JsonNode event) {
        String action = event.path("action").asText();
        JsonNode data = event.path("data");
        String subject = switch (action) {
            case WebhookAudit.GRANTED, WebhookAudit.REVERTED -> data.path("transaction").path("id").asText();
            case WebhookAudit.THRESHOLD -> data.path("customer_id").asText() + "/" + data.path("threshold").asText();
            default -> "";
        };
        return new WebhookAudit.Received(event.path("id").asText(), action, subject);
    }

    private boolean signatureVerifies(String header, byte[] body) {
        byte[] key = secret;
        if (key == null || header == null) {
            return key == null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA512/256");
            mac.init(new SecretKeySpec(key, "HmacSHA512/256"));
            return header.equals("1=" + HexFormat.of().formatHex(mac.doFinal(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
