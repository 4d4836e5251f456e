package dev.tally.transport;

import com.google.protobuf.Message;
import dev.tally.api.proto.CaptureBillingHoldRequest;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldRequest;
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
 * A usage, a hold's placement or a capture waiting for its group's commit holds no thread (ADR 0014,
 * "thread hand-offs" and its addendum): the
 * blocking thread that read and queued it is free at once, and the reply comes from the lane's
 * future. So with a single blocking thread, while the account's lane cannot commit, more usages
 * (with and without an Idempotency-Key) still reach the lane and a read is still answered, on every
 * transport; when the lane commits, every usage gets its own answer, and the keyed one replays. The
 * same for holds. (Before, the one thread waited for the first group until its deadline.)
 */
class UsageHoldsNoThreadTest {
    /** Shorter than the request timeout (10 s), which would end a parked thread's wait. */
    private static final Duration WAIT_MAX = Duration.ofSeconds(5);
    private static final int BATCH_USAGES = UsageService.USAGES_PER_REQUEST_MAX;
    private static final long HOLD_AMOUNT = 10;
    private static final long CAPTURE_AMOUNT = 5;

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

    @ParameterizedTest
    @EnumSource(Transport.class)
    void holdPlacementsAndCapturesWaitingForTheirGroupLeaveTheOneBlockingThreadFree(Transport transport)
            throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10_000);
        String meter = fixtures.serviceUserAuthorization(org);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        for (String hold : List.of(first, second)) {
            Outcome placed = callAsync(transport, meter, Map.of(), FrontierServiceGrpc.getCreateBillingHoldMethod(),
                    placement(org, account, hold)).get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(placed.error()).as(placed.toString()).isEmpty();
        }
        Map<String, String> placementKey = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        Map<String, String> captureKey = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        CreateBillingHoldRequest keyedPlacement = placement(org, account, UUID.randomUUID().toString());
        CaptureBillingHoldRequest keyedCapture = capture(org, account, second);
        List<CompletableFuture<Outcome>> waiting = new ArrayList<>();
        AccountRowLock lock = new AccountRowLock(SERVER.tally().database(), UUID.fromString(account));
        try {
            // A placement locks the account, so its group waits for the test's lock. The pause only
            // lets the lane take it alone: were the three below to join its group, the count of queued
            // requests would fall short and the test fail, never pass wrongly.
            waiting.add(callAsync(transport, meter, placementKey, FrontierServiceGrpc.getCreateBillingHoldMethod(),
                    keyedPlacement));
            Thread.sleep(300);
            // A capture debits the account, under its lock too. A thread parked on the waiting group,
            // or on any of these, would keep the later ones out of the lane.
            waiting.add(callAsync(transport, meter, Map.of(), FrontierServiceGrpc.getCaptureBillingHoldMethod(),
                    capture(org, account, first)));
            waiting.add(callAsync(transport, meter, captureKey, FrontierServiceGrpc.getCaptureBillingHoldMethod(),
                    keyedCapture));
            waiting.add(callAsync(transport, meter, Map.of(), FrontierServiceGrpc.getCreateBillingHoldMethod(),
                    placement(org, account, UUID.randomUUID().toString())));

            awaitQueuedInLanes(3);
            Outcome balance = callAsync(transport, meter, Map.of(), FrontierServiceGrpc.getGetBillingBalanceMethod(),
                    GetBillingBalanceRequest.newBuilder().setOrgId(org.id()).setId(account).build())
                    .get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(balance.responseAs(GetBillingBalanceResponse.class).getHeld()).isEqualTo(2 * HOLD_AMOUNT);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
        } finally {
            lock.release();
        }
        for (CompletableFuture<Outcome> call : waiting) {
            Outcome outcome = call.get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(outcome.error()).as(outcome.toString()).isEmpty();
            assertThat(outcome.replayed()).isFalse();
        }
        Outcome placementRetry = callAsync(transport, meter, placementKey,
                FrontierServiceGrpc.getCreateBillingHoldMethod(), keyedPlacement)
                .get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
        Outcome captureRetry = callAsync(transport, meter, captureKey,
                FrontierServiceGrpc.getCaptureBillingHoldMethod(), keyedCapture)
                .get(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(placementRetry.replayed()).as(placementRetry.toString()).isTrue();
        assertThat(captureRetry.replayed()).as(captureRetry.toString()).isTrue();
        assertThat(captureRetry.responseAs(CaptureBillingHoldResponse.class).getHold().getState())
                .isEqualTo("captured");
        // Two captures of 5 debited once each; the two holds placed under the lock hold 10 each.
        assertThat(SERVER.storedBalance(account)).isEqualTo(10_000 - 2 * CAPTURE_AMOUNT);
        assertThat(SERVER.entryCount(account)).isEqualTo(1 + 2);
    }

    private static CreateBillingHoldRequest placement(Org org, String account, String id) {
        return CreateBillingHoldRequest.newBuilder().setOrgId(org.id()).setBillingId(account).setId(id)
                .setAmount(HOLD_AMOUNT).setSource("lane").build();
    }

    private static CaptureBillingHoldRequest capture(Org org, String account, String id) {
        return CaptureBillingHoldRequest.newBuilder().setOrgId(org.id()).setBillingId(account).setId(id)
                .setAmount(CAPTURE_AMOUNT).build();
    }

    private static void awaitQueuedInLanes(int requests) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + WAIT_MAX.toNanos();
        while (SERVER.tally().usageWriter().queuedRequests() < requests) {
            assertThat(System.nanoTime()).as("a request reaches the lane while another waits for its group")
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
