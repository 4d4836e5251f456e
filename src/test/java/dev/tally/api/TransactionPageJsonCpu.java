package dev.tally.api;

import dev.tally.billing.ledger.EntryKind;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.TransactionPage;
import dev.tally.common.Metadata;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Not a test: a measurement (docs/adr/0007, issue 10's third pass). CPU per page of 100 bench-like
 * entries written as JSON by JsonFormat from ProtoMapping's message (what gRPC's message would print;
 * the third pass's "before", a printer of that message, is gone) and the way the JSON transports
 * write it (TransactionPageJson), alternating in one JVM, from the thread's CPU time:
 * {@code java -cp target/tally.jar:target/test-classes dev.tally.api.TransactionPageJsonCpu}.
 */
public final class TransactionPageJsonCpu {
    private static long sink; // keeps the JIT from dropping the work

    private static TransactionPage page(int seed) {
        List<LedgerEntry> entries = new ArrayList<>();
        UUID account = new UUID(seed, 17);
        Instant at = Instant.ofEpochSecond(1_796_000_000L + seed, 123_456_000);
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 0) {
                at = at.minusNanos(1_000_000_000L + 7_000L * i); // a batch of 10 usages shares one instant
            }
            entries.add(new LedgerEntry(new UUID(seed * 1_000L + i, ~i), account, EntryKind.USAGE, 1 + i, "bench",
                    "bench usage", "", Metadata.EMPTY, Optional.empty(), at));
        }
        return new TransactionPage(entries, Optional.of("eyJhIjoiYWNjb3VudCIsImMiOiIyMDI2LTEyLTAzVDEyOjAwOjAwWiJ9"));
    }

    public static void main(String[] args) {
        // Four rounds: the first is mostly the JIT's; compare the later ones.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 20_000;
        TransactionPage[] pages = new TransactionPage[64];
        for (int i = 0; i < pages.length; i++) pages[i] = page(i);
        for (int round = 0; round < 4; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += ProtoJson.printWithJsonFormat(ProtoMapping.transactions(pages[i & 63]))
                        .getBytes(StandardCharsets.UTF_8).length;
            }
            long middle = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += TransactionPageJson.write(pages[i & 63]).length();
            }
            long end = threads.getCurrentThreadCpuTime();
            System.out.printf("round %d: JsonFormat %.1f us/page, TransactionPageJson %.1f us/page (%.2f x)%n", round,
                    (middle - start) / 1e3 / n, (end - middle) / 1e3 / n, (double) (middle - start) / (end - middle));
        }
        System.out.println("bytes written: " + sink);
    }
}
