package dev.tally.api;

import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.CreateBillingUsageResponse;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.common.ErrorCode;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deferred RPC with an Idempotency-Key whose record step is refused, as a blocking pool shut
 * down refuses it: the caller is told UNAVAILABLE (503, gRPC UNAVAILABLE, Connect unavailable:
 * each transport renders the refusal), never "internal error".
 */
class RpcPipelineShutdownTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final Executor SHUT_DOWN = task -> {
        throw new RejectedExecutionException("the blocking pool is shut down (test)");
    };

    @Test
    void aDeferredAnswerWhoseKeyedRecordIsRefusedAtShutdownIsUnavailable() {
        RpcPipeline pipeline = new RpcPipeline(SERVER.tally().authenticator(), SERVER.tally().idempotency());
        CompletableFuture<CreateBillingUsageResponse> committed = new CompletableFuture<>();
        RpcMethod<CreateBillingUsageRequest, CreateBillingUsageResponse> usage = RpcMethod.deferring(
                FrontierServiceGrpc.getCreateBillingUsageMethod(), (principal, request) -> committed, true);

        CompletableFuture<RpcOutcome> outcome = pipeline.run(usage,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET), UUID.randomUUID().toString(),
                CreateBillingUsageRequest::getDefaultInstance, SHUT_DOWN);
        committed.complete(CreateBillingUsageResponse.getDefaultInstance());

        assertThat(outcome).succeedsWithin(Duration.ofSeconds(5))
                .isInstanceOfSatisfying(RpcOutcome.Refused.class, refused -> {
                    assertThat(refused.error().code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(refused.error().getMessage()).contains("shutting down").contains("retry");
                });
    }
}
