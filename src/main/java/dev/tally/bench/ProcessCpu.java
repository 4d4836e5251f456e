package dev.tally.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process has used so far (user + system), from Linux's {@code /proc/<pid>/stat}:
 * what {@code bench} divides by the requests of a phase to give the server's CPU per request.
 */
final class ProcessCpu {
    /** USER_HZ, the unit of /proc's CPU times; 100 on every Linux distribution Tally targets. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    static long cpuNanos(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + " from /proc", e);
        }
        // Fields after the command name, which is in parentheses and may contain spaces:
        // state is field 3, utime field 14, stime field 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
