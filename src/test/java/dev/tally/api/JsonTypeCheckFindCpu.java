package dev.tally.api;

import com.google.protobuf.Descriptors.Descriptor;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.Usage;

import java.lang.management.ManagementFactory;

/**
 * Not a test: a measurement (ADR 0014). CPU and allocation of the field lookups one usage request's
 * body needs (the request's path ids and its one usage's four fields), by {@code findFieldByName}
 * then a search of JSON names as before ({@link JsonTypeCheckFindTest#searched}, the reference the
 * test compares with), and from the map kept per message now, alternating in one JVM:
 * {@code java -cp target/tally.jar:target/test-classes dev.tally.api.JsonTypeCheckFindCpu}.
 */
public final class JsonTypeCheckFindCpu {
    private static long sink;

    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        Descriptor request = CreateBillingUsageRequest.getDescriptor();
        Descriptor usage = Usage.getDescriptor();
        String[] requestNames = {"usages", "org_id", "billing_id"};
        String[] usageNames = {"id", "amount", "source", "description"};
        int n = 1_000_000;
        for (int round = 0; round < 5; round++) {
            long start = threads.getCurrentThreadCpuTime();
            long startBytes = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                for (String name : requestNames) sink += JsonTypeCheckFindTest.searched(request, name).getNumber();
                for (String name : usageNames) sink += JsonTypeCheckFindTest.searched(usage, name).getNumber();
            }
            long middle = threads.getCurrentThreadCpuTime();
            long middleBytes = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < n; i++) {
                for (String name : requestNames) sink += JsonTypeCheck.find(request, name).getNumber();
                for (String name : usageNames) sink += JsonTypeCheck.find(usage, name).getNumber();
            }
            long end = threads.getCurrentThreadCpuTime();
            long endBytes = threads.getThreadAllocatedBytes(self);
            System.out.printf("round %d: before %.3f us %d B per request, now %.3f us %d B per request%n", round,
                    (middle - start) / 1e3 / n, (middleBytes - startBytes) / n, (end - middle) / 1e3 / n,
                    (endBytes - middleBytes) / n);
        }
        System.out.println(sink);
    }
}
