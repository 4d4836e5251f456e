package dev.tally.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.QueryParams;
import dev.tally.api.proto.CreateBillingUsageRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.UUID;

/**
 * Not a test: a measurement (docs/benchmarks.md). CPU per bind of the bench's one-usage body, the way
 * {@link RequestBinder} read it before (parse, check, print the tree, JsonFormat parses the text)
 * and the way it does now, alternating in one JVM, from the thread's CPU time:
 * {@code java -cp target/tally.jar:target/test-classes dev.tally.api.RequestBinderCpu}.
 */
public final class RequestBinderCpu {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Map<String, String> PATH = Map.of("org_id", "2b1f7e43-5a4e-4f0e-9d3c-8a1f0e2b7c11",
            "billing_id", "3b1f7e43-5a4e-4f0e-9d3c-8a1f0e2b7c11");
    private static long sink; // keeps the JIT from dropping the work

    private static String body(int i) {
        return "{\"usages\":[{\"id\":\"" + new UUID(i, i * 31L) + "\",\"amount\":\"1\",\"source\":\"bench\",\"description\":\"bench usage\"}]}";
    }

    private static void before(String body) throws Exception {
        ObjectNode json = (ObjectNode) MAPPER.readTree(body);
        PATH.forEach(json::put);
        JsonTypeCheck.check(json, CreateBillingUsageRequest.getDescriptor(), "");
        var builder = CreateBillingUsageRequest.newBuilder();
        ProtoJson.PARSER.merge(MAPPER.writeValueAsString(json), builder);
        sink += builder.build().getUsagesCount();
    }

    private static void now(String body) {
        sink += RequestBinder.bind(CreateBillingUsageRequest.newBuilder(), RequestBinder.BodyShape.WHOLE, body,
                QueryParams.of(), PATH).build().getUsagesCount();
    }

    public static void main(String[] args) throws Exception {
        // Four rounds: the first is mostly the JIT's; compare the later ones.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 100_000;
        String[] bodies = new String[1024];
        for (int i = 0; i < bodies.length; i++) bodies[i] = body(i);
        for (int round = 0; round < 4; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) before(bodies[i & 1023]);
            long middle = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) now(bodies[i & 1023]);
            long end = threads.getCurrentThreadCpuTime();
            System.out.printf("round %d: before %.2f us/bind, now %.2f us/bind (%.2f x)%n", round,
                    (middle - start) / 1e3 / n, (end - middle) / 1e3 / n, (double) (middle - start) / (end - middle));
        }
        System.out.println("usages bound: " + sink);
    }
}
