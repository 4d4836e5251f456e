package dev.tally.transport;

import com.google.protobuf.Message;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingBalanceResponse;
import dev.tally.api.proto.Usage;
import dev.tally.billing.ledger.UsageService;
import dev.tally.testing.AccountRowLock;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyServer;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A usage waiting for its group's commit holds no thread (ADR 0014, "thread hand-offs"): the
 * blocking thread that read and queued it is free at once, and the reply comes from the lane's
 * future. So with a single blocking thread, while the account's lane cannot commit, more usages
 * (with and without an Idempotency-Key) still reach the lane and a read is still answered, on every
 * transport; when the lane commits, every usage gets its own answer, and the keyed one replays.
 * (Before, the one thread waited for the first usage's group until its deadline.)
 */
class UsageHoldsNoThreadTest {
    /** Shorter than the request timeout (10 s), which would end a parked thread's wait. */
    private static final Duration WAIT_MAX = Duration.ofSeconds(5);
    private static final int BATCH_USAGES = UsageService.USAGES_PER_REQUEST_MAX;

    @RegisterExtension
    static final TallyServer SERVER = TallyServer.withBlockingThreads(1);

    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void usagesWaitingForTheirGroupLeaveTheOneBlockingThreadFree(Transport transport) throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10_000);
        String meter = fixtures.serviceUserAuthorization(org);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        CreateBillingUsageRequest keyed = fullBatch(org, account);
        List<CompletableFuture<Outcome>> usages = new ArrayList<>();
        AccountRowLock lock = new AccountRowLock(SERVER.tally().database(), UUID.fromString(account));
        try {
            // Six full batches: a group takes at most five (UsageWriter.GROUP_USAGES_MAX rows), so
            // one is certainly queued behind the group that waits for the lock, if it can get there.
            usages.add(callAsync(transport, meter, key, keyed));
            for (int index = 1; index < 6; index++) {
                usages.add(callAsync(transport, meter, Map.of(), fullBatch(org, account)));
            }

            // A thread parked on the waiting group would keep every later usage out of the lane.
            awaitQueuedInLanes(1);
            Outcome balance = callAsync(transport, meter, Map.of(), FrontierServiceGrpc.getGetBillingBalanceMethod(),
                    GetBillingBalanceRequest.newBuilder().setOrgId(org.id()).setId(account).build())
                    .get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(balance.responseAs(GetBillingBalanceResponse.class).getBalance().getAmount())
                    .isEqualTo(10_000);
            assertThat(usages).noneMatch(CompletableFuture::isDone);
        } finally {
            lock.release();
        }
        for (CompletableFuture<Outcome> usage : usages) {
            Outcome outcome = usage.get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(outcome.error()).as(outcome.toString()).isEmpty();
            assertThat(outcome.replayed()).isFalse();
        }
        Outcome retry = callAsync(transport, meter, key, keyed).get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(retry.error()).as(retry.toString()).isEmpty();
        assertThat(retry.replayed()).as(retry.toString()).isTrue();
        assertThat(SERVER.storedBalance(account)).isEqualTo(10_000 - 6 * BATCH_USAGES);
        assertThat(SERVER.entryCount(account)).isEqualTo(1 + 6 * BATCH_USAGES);
    }

    private static void awaitQueuedInLanes(int requests) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + WAIT_MAX.toNanos();
        while (SERVER.tally().usageWriter().queuedRequests() < requests) {
            assertThat(System.nanoTime()).as("a usage reaches the lane while another waits for its group")
                    .isLessThan(deadlineNanos);
            Thread.sleep(10);
        }
    }

    private static CompletableFuture<Outcome> callAsync(Transport transport, String authorization,
                                                        Map<String, String> headers, CreateBillingUsageRequest usage) {
        return callAsync(transport, authorization, headers, FrontierServiceGrpc.getCreateBillingUsageMethod(), usage);
    }

    private static <Q extends Message, R extends Message> CompletableFuture<Outcome> callAsync(Transport transport,
            String authorization, Map<String, String> headers, MethodDescriptor<Q, R> method, Q request) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", authorization);
        return CompletableFuture.supplyAsync(() -> transport.call(SERVER.uri(), method, request, all), CLIENTS);
    }

    /** As many usages of 1 credit as a request may carry. */
    private static CreateBillingUsageRequest fullBatch(Org org, String account) {
        CreateBillingUsageRequest.Builder request = CreateBillingUsageRequest.newBuilder().setOrgId(org.id())
                .setBillingId(account);
        for (int index = 0; index < BATCH_USAGES; index++) {
            request.addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(1).setSource("lane"));
        }
        return request.build();
    }
}
