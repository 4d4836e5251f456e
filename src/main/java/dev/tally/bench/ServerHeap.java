package dev.tally.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's live heap: {@code jcmd <pid> GC.run} (a full collection, so that garbage the
 * young generation has not yet collected does not count), then the "used" of
 * {@code jcmd <pid> GC.heap_info}. What the history workload prints before and after the largest
 * export, to show that streaming it keeps the heap flat (DESIGN §11). The management port's
 * {@code jvm_memory_used_bytes} would count uncollected garbage, hence jcmd.
 */
final class ServerHeap {
    /** G1 and Parallel both print "... used 24935K" on the heap's summary line. */
    private static final Pattern USED = Pattern.compile("\\bused (\\d+)K");

    private ServerHeap() {}

    /** The heap used after a full collection, in bytes; -1 when jcmd cannot reach the process. */
    static long liveBytes(long pid) {
        try {
            run(pid, "GC.run");
            Matcher used = USED.matcher(run(pid, "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed");
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
