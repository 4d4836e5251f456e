package dev.tally.ops;

import java.util.Map;

/**
 * HELP texts for the meters that Armeria registers without one; Prometheus' linter (promtool) asks for
 * a HELP on every metric, and an operator reading /metrics should not have to guess.
 */
final class MeterDescriptions {
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry(RpcMeterIds.NAME + ".requests", "RPC requests completed, by RPC, protocol, status and result"),
            Map.entry(RpcMeterIds.NAME + ".active.requests", "RPC requests being served now"),
            Map.entry(RpcMeterIds.NAME + ".request.duration", "Time to receive an RPC request"),
            Map.entry(RpcMeterIds.NAME + ".request.length", "RPC request body sizes"),
            Map.entry(RpcMeterIds.NAME + ".response.duration", "Time to send an RPC response"),
            Map.entry(RpcMeterIds.NAME + ".response.length", "RPC response body sizes"),
            Map.entry(RpcMeterIds.NAME + ".total.duration", "RPC latency, from the first byte received to the last sent"),
            Map.entry(RpcMeterIds.NAME + ".timeouts", "RPC requests that timed out"),
            Map.entry("armeria.server.connections", "Open connections to the API port"),
            Map.entry("armeria.server.all.requests", "Requests on the API port by protocol and state"),
            Map.entry("armeria.server.pending.responses", "Responses not yet sent"),
            Map.entry("armeria.server.connections.lifespan", "How long connections to the API port stayed open"),
            Map.entry("armeria.server.exceptions.unlogged", "Exceptions that were neither logged nor answered"));

    private MeterDescriptions() {}

    static String of(String name) {
        String bare = name.startsWith(Metrics.PREFIX) ? name.substring(Metrics.PREFIX.length()) : name;
        String known = KNOWN.get(name);
        if (known == null) {
            known = KNOWN.get(bare);
        }
        return known != null ? known : "Armeria meter " + bare; // Armeria's own (router caches and the like)
    }
}
