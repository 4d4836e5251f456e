package dev.tally.bench;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/** What one measured phase did: requests, latency distribution and replies by status. */
record LoadResult(String name, long requests, long unitsPerRequest, double seconds, Histogram latencyMicros,
                  Map<Integer, Long> statusCounts, long transportErrors) {

    double requestsPerSecond() {
        return requests / seconds;
    }

    /** Usages per second where a request carries several (a batch), else requests per second. */
    double unitsPerSecond() {
        return requestsPerSecond() * unitsPerRequest;
    }

    long failed() {
        long failed = transportErrors;
        for (Map.Entry<Integer, Long> entry : statusCounts.entrySet()) {
            if (entry.getKey() >= 500) {
                failed += entry.getValue();
            }
        }
        return failed;
    }

    String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-34s %9d req in %6.1f s = %9.0f req/s", name, requests, seconds, requestsPerSecond()));
        if (unitsPerRequest > 1) {
            out.append(String.format(" = %10.0f usages/s", unitsPerSecond()));
        }
        out.append(String.format("%n%34s latency ms p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", "",
                millis(50), millis(90), millis(99), latencyMicros.getMaxValue() / 1000.0));
        out.append(String.format("%n%34s replies by status %s, transport errors %d", "",
                new TreeMap<>(statusCounts), transportErrors));
        return out.toString();
    }

    private double millis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
