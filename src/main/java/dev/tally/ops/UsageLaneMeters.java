package dev.tally.ops;

import dev.tally.billing.ledger.UsageLaneObserver;
import dev.tally.billing.ledger.UsageWriter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The usage lanes' meters (DESIGN §15): {@code tally_usage_lane_group_size} (requests per group commit, a
 * histogram), {@code tally_usage_lane_commit_seconds} (one group's transaction) and
 * {@code tally_usage_lane_queue_depth} (requests waiting now).
 */
final class UsageLaneMeters implements UsageLaneObserver {
    private final DistributionSummary groupSize;
    private final Timer commit;

    private UsageLaneMeters(MeterRegistry registry) {
        this.groupSize = DistributionSummary.builder("tally.usage.lane.group.size")
                .description("Usage requests applied by one group commit")
                .baseUnit("requests")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(registry);
        this.commit = Timer.builder("tally.usage.lane.commit")
                .description("Time to apply one usage group in its database transaction")
                .publishPercentileHistogram()
                .register(registry);
    }

    static void bind(MeterRegistry registry, UsageWriter writer) {
        Gauge.builder("tally.usage.lane.queue.depth", writer, UsageWriter::queueDepth)
                .description("Usage requests waiting for their lane")
                .baseUnit("requests")
                .register(registry);
        writer.observe(new UsageLaneMeters(registry));
    }

    @Override
    public void groupApplied(int requests, long commitNanos) {
        groupSize.record(requests);
        commit.record(commitNanos, TimeUnit.NANOSECONDS);
    }
}
