package dev.tally.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The firehose workload's webhook receiver, in the bench's own process: the JDK's HTTP server on
 * loopback, answering 200 to everything and counting the {@code usage.created} events it got (by
 * a substring, not a JSON parse: the receiver's CPU should stay out of Tally's figures).
 */
final class FirehoseReceiver implements AutoCloseable {
    private static final byte[] USAGE_CREATED = "\"app.billing.usage.created\"".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4,
            Thread.ofPlatform().daemon().name("bench-receiver-", 0).factory());
    private final LongAdder usageEvents = new LongAdder();
    private final LongAdder requests = new LongAdder();

    FirehoseReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setExecutor(executor);
        server.createContext("/firehose", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/firehose";
    }

    long usageEvents() {
        return usageEvents.sum();
    }

    long requests() {
        return requests.sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            requests.increment();
            if (contains(body, USAGE_CREATED)) {
                usageEvents.increment();
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static boolean contains(byte[] body, byte[] part) {
        outer:
        for (int start = 0; start + part.length <= body.length; start++) {
            for (int index = 0; index < part.length; index++) {
                if (body[start + index] != part[index]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
