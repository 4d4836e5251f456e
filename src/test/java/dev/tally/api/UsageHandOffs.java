package dev.tally.api;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.util.EventLoopGroups;
import dev.tally.testing.Fixtures;
import dev.tally.testing.TallyServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Not a test: a measurement (ADR 0014, "thread hand-offs"). Serves usage requests (one usage each,
 * REST, one hot account) and {@code GET /ping} with the production wiring on the test database,
 * from a client on threads of its own, and prints per request: the server's threads' voluntary and
 * involuntary context switches (from {@code /proc/self/task/<tid>/status}; the client's threads and
 * {@code main} left out) and their CPU time by thread kind (ThreadMXBean). Context switches are the
 * cost of a hand-off that JFR does not see. {@code java -cp target/tally.jar:target/test-classes
 * dev.tally.api.UsageHandOffs [requests] [inFlight]}; add {@code -Dtally.test.database=postgres} and
 * {@code TALLY_TEST_POSTGRES_URL} for PostgreSQL.
 */
public final class UsageHandOffs {
    private static final String CLIENT_THREADS = "probe-client";

    private UsageHandOffs() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        TallyServer server = new TallyServer();
        server.beforeAll(null);
        ClientFactory factory = ClientFactory.builder()
                .workerGroup(EventLoopGroups.newEventLoopGroup(1, CLIENT_THREADS), true).build();
        try {
            Fixtures fixtures = new Fixtures(server);
            Fixtures.Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 1_000_000_000_000L);
            String authorization = fixtures.serviceUserAuthorization(org);
            WebClient client = WebClient.builder(server.uri()).factory(factory).build();
            String usagePath = Fixtures.accountPath(org, account) + "/usages";
            Supplier<HttpRequest> usage = () -> HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, usagePath)
                    .contentType(MediaType.JSON_UTF_8).set("authorization", authorization).build(),
                    HttpData.ofUtf8("{\"usages\":[{\"id\":\"" + UUID.randomUUID()
                            + "\",\"amount\":\"1\",\"source\":\"bench\"}]}"));
            Supplier<HttpRequest> ping = () -> HttpRequest.of(HttpMethod.GET, "/ping");
            send(client, usage, requests / 2, inFlight); // warm-up: JIT, pools, caches
            send(client, ping, requests / 2, inFlight);
            for (int round = 0; round < 3; round++) {
                measure("ping ", client, ping, requests, inFlight);
                measure("usage", client, usage, requests, inFlight);
            }
        } finally {
            factory.close();
            server.afterAll(null);
        }
    }

    private static void measure(String name, WebClient client, Supplier<HttpRequest> request, int requests,
                                int inFlight) throws Exception {
        long[] switchesBefore = contextSwitches();
        Map<String, Long> cpuBefore = cpuByKind();
        long startNanos = System.nanoTime();
        send(client, request, requests, inFlight);
        long wallNanos = System.nanoTime() - startNanos;
        long[] switchesAfter = contextSwitches();
        Map<String, Long> cpuAfter = cpuByKind();
        StringBuilder cpu = new StringBuilder();
        long cpuTotal = 0;
        for (Map.Entry<String, Long> kind : cpuAfter.entrySet()) {
            long used = kind.getValue() - cpuBefore.getOrDefault(kind.getKey(), 0L);
            cpuTotal += used;
            if (used / requests >= 1_000) {
                cpu.append(String.format(" %s %.1f", kind.getKey(), used / 1e3 / requests));
            }
        }
        System.out.printf("%s: %,d requests at %,.0f/s; per request: %.2f voluntary + %.2f involuntary context"
                        + " switches; server CPU %.1f us (%s )%n", name, requests, requests / (wallNanos / 1e9),
                (switchesAfter[0] - switchesBefore[0]) / (double) requests,
                (switchesAfter[1] - switchesBefore[1]) / (double) requests, cpuTotal / 1e3 / requests, cpu);
    }

    /** Keeps {@code inFlight} requests outstanding until {@code count} were answered; each must be a 200. */
    private static void send(WebClient client, Supplier<HttpRequest> request, int count, int inFlight)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicInteger failed = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        for (int index = 0; index < count; index++) {
            slots.acquire();
            all[index] = client.execute(request.get()).aggregate().whenComplete((AggregatedHttpResponse reply,
                    Throwable failure) -> {
                if (failure != null || reply.status().code() != 200) {
                    failed.incrementAndGet();
                }
                slots.release();
            });
        }
        CompletableFuture.allOf(all).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " requests failed");
        }
    }

    /** Voluntary and involuntary context switches of the server's threads (not the client's, not main). */
    private static long[] contextSwitches() throws IOException {
        long[] switches = new long[2];
        String mainTid = Path.of("/proc/self").toRealPath().getFileName().toString();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith(CLIENT_THREADS) || task.getFileName().toString().equals(mainTid)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            switches[0] += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            switches[1] += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return switches;
    }

    /** CPU nanoseconds of the JVM's Java threads, summed by kind (the name without its numbers). */
    private static Map<String, Long> cpuByKind() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byKind = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().startsWith(CLIENT_THREADS)
                    || info.getThreadName().equals("main")) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byKind.merge(info.getThreadName().replaceAll("[-#]?[0-9]+", ""), cpu, Long::sum);
            }
        }
        return byKind;
    }
}
