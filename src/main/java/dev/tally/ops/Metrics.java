package dev.tally.ops;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * One process's meters, exposed in Prometheus' text format by {@link ManagementServer}. Every name
 * starts with {@code tally_} (Hikari's pool meters and the JVM's included), so that one prefix finds
 * all of Tally on a shared Prometheus.
 */
public final class Metrics implements AutoCloseable {
    static final String PREFIX = "tally.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * What Armeria's per-request metrics record beside the documented ones (docs/operations.md: requests,
     * the total duration histogram, active requests, timeouts): the request's and the response's own
     * durations, as histograms too, and both bodies' lengths with client-side quantiles. Nobody reads
     * them, and every request paid for four more distributions on the event loop (metrics were 9 % of
     * a hot usage request's CPU samples, docs/benchmarks.md).
     */
    private static final Set<String> UNREAD_PER_REQUEST = Set.of(RpcMeterIds.NAME + ".request.duration",
            RpcMeterIds.NAME + ".response.duration", RpcMeterIds.NAME + ".request.length",
            RpcMeterIds.NAME + ".response.length");

    public Metrics() {
        registry.config().meterFilter(MeterFilter.deny(id -> UNREAD_PER_REQUEST.contains(id.getName())));
        // Micrometer's process CPU time is in nanoseconds, which Prometheus' conventions (and promtool) refuse;
        // the same counter in seconds is registered below. (Micrometer renames before it accepts or denies.)
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals(PREFIX + "process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                // A gauge may not end in _count in Prometheus' conventions; Micrometer's CPU count does.
                String bare = id.getName().equals("system.cpu.count") ? "system.cpus" : id.getName();
                String name = bare.startsWith(PREFIX) ? bare : PREFIX + bare;
                String description = id.getDescription() == null || id.getDescription().isBlank()
                        ? MeterDescriptions.of(id.getName()) : id.getDescription();
                return new Meter.Id(name, Tags.of(id.getTags()), id.getBaseUnit(), description, id.getType());
            }

            /** Per-RPC durations as Prometheus histograms (aggregatable across processes), not client-side quantiles. */
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().startsWith(RpcMeterIds.NAME + ".") || id.getType() != Meter.Type.TIMER) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(true).percentiles(new double[0])
                        .build().merge(config);
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the Tally process")
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The current value of every meter in Prometheus' text exposition format (version 0.0.4). */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
