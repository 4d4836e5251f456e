/**
 * The wire: every RPC in {@link dev.tally.api.RpcCatalog}, run by {@link dev.tally.api.RpcPipeline}
 * (authentication, Idempotency-Key, failure classification) for each transport, which only reads
 * the request and renders the outcome: {@link dev.tally.api.RestRoutes} (Frontier's gateway paths),
 * {@link dev.tally.api.GrpcServices} (gRPC, gRPC-Web) and {@link dev.tally.api.ConnectService}
 * (Connect, unframed). Start at {@link dev.tally.api.Api}, which wires them onto the server.
 * Proto types stay in this package; the feature services speak domain records.
 */
package dev.tally.api;
