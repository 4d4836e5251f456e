package dev.tally.api;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.Usage;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The same RPCs over gRPC and over unframed JSON, from the same proto as the REST paths. */
class GrpcTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void usageReportedOverGrpcDebitsAndRevertsLikeRest() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        FrontierServiceGrpc.FrontierServiceBlockingStub frontier = client(FrontierServiceGrpc.FrontierServiceBlockingStub.class,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET));
        String usageId = UUID.randomUUID().toString();

        frontier.createBillingUsage(CreateBillingUsageRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                .addUsages(Usage.newBuilder().setId(usageId).setAmount(40).setSource("Grpc")).build());
        long afterUsage = frontier.getBillingBalance(GetBillingBalanceRequest.newBuilder().setOrgId(org.id())
                .setId(account).build()).getBalance().getAmount();
        client(AdminServiceGrpc.AdminServiceBlockingStub.class,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .revertBillingUsage(RevertBillingUsageRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                        .setUsageId(usageId).setAmount(15).build());

        assertThat(afterUsage).isEqualTo(60);
        assertThat(fixtures.balance(org, account)).isEqualTo(75);
    }

    @Test
    void grpcErrorsCarryTheSameCodesAndMessages() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        FrontierServiceGrpc.FrontierServiceBlockingStub frontier = client(FrontierServiceGrpc.FrontierServiceBlockingStub.class,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET));

        StatusRuntimeException insufficient = catchThrowableOfType(StatusRuntimeException.class, () ->
                frontier.createBillingUsage(CreateBillingUsageRequest.newBuilder().setOrgId(org.id())
                        .setBillingId(account).addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString())
                                .setAmount(1)).build()));
        StatusRuntimeException unauthenticated = catchThrowableOfType(StatusRuntimeException.class, () ->
                client(FrontierServiceGrpc.FrontierServiceBlockingStub.class, "Bearer wrong")
                        .getBillingBalance(GetBillingBalanceRequest.newBuilder().setOrgId(org.id()).setId(account).build()));

        assertThat(insufficient.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(insufficient.getStatus().getDescription()).isEqualTo("insufficient credits");
        assertThat(unauthenticated.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(SERVER.entryCount(account)).isZero();
    }

    @Test
    void anUnframedJsonCallAnswersWithProtojson() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 7);

        Reply reply = SERVER.admin().post("/raystack.frontier.v1beta1.FrontierService/GetBillingBalance",
                "{\"org_id\":\"" + org.id() + "\",\"id\":\"" + account + "\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("balance").path("amount").asText()).isEqualTo("7");
    }

    @Test
    void anUnframedCallWithABadBodyGetsTheOneErrorShape() {
        Reply reply = SERVER.admin().post("/raystack.frontier.v1beta1.FrontierService/GetBillingBalance", "{\"id\": 5");

        ErrorAssertions.assertError(reply, 400, 3);
    }

    @Test
    void aNulCharacterSentOverGrpcIsRefusedWithoutFailingOthers() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        FrontierServiceGrpc.FrontierServiceBlockingStub frontier = client(FrontierServiceGrpc.FrontierServiceBlockingStub.class,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET));
        int neighbours = 20;

        // The bad request is sent among good ones on the same account, at the same moment, so that
        // they meet in one usage group: one bad value must not fail the group's transaction.
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> good = new ArrayList<>();
        Future<StatusRuntimeException> refused;
        try (ExecutorService threads = Executors.newFixedThreadPool(neighbours + 1)) {
            refused = threads.submit(() -> {
                start.await();
                return catchThrowableOfType(StatusRuntimeException.class, () ->
                        frontier.createBillingUsage(usageRequest(org, account, "a\u0000b")));
            });
            for (int index = 0; index < neighbours; index++) {
                good.add(threads.submit(() -> {
                    start.await();
                    return frontier.createBillingUsage(usageRequest(org, account, "fine"));
                }));
            }
            start.countDown();
            for (Future<?> reply : good) {
                reply.get();
            }
        }

        assertThat(refused.get()).isNotNull();
        assertThat(refused.get().getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(fixtures.balance(org, account)).isEqualTo(100 - neighbours);
        assertThat(SERVER.entryCount(account)).isEqualTo(1 + neighbours);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    private static CreateBillingUsageRequest usageRequest(Org org, String account, String source) {
        return CreateBillingUsageRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                .addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(1).setSource(source)).build();
    }

    @Test
    void aTimestampOutOfRangeOverGrpcIsInvalidArgument() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        FrontierServiceGrpc.FrontierServiceBlockingStub frontier = client(FrontierServiceGrpc.FrontierServiceBlockingStub.class,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET));

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, () ->
                frontier.listBillingTransactions(dev.tally.api.proto.ListBillingTransactionsRequest.newBuilder()
                        .setOrgId(org.id()).setBillingId(account)
                        .setEndRange(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 2)).build()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    private static <T> T client(Class<T> stub, String authorization) {
        return GrpcClients.builder(SERVER.uri().toString())
                .addHeader("Authorization", authorization)
                .build(stub);
    }
}
