/**
 * Running Tally in production (DESIGN §15): the Prometheus registry and the management port
 * ({@link dev.tally.ops.Metrics}, {@link dev.tally.ops.ManagementServer}), request ids and the access log
 * ({@link dev.tally.ops.AccessLog}), per-principal rate limits ({@link dev.tally.ops.RateLimits}).
 * {@link dev.tally.ops.Operations} puts them on the API server as decorators, so that they wrap every
 * transport alike; start there.
 */
package dev.tally.ops;
