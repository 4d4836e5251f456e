package dev.tally.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.CreateBillingUsageResponse;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.Usage;
import dev.tally.testing.Fixtures;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gRPC call is ended exactly once, even when the transport fails while ending it: the usage is
 * answered, the call's close throws, and that failure is not sent as a second status.
 */
class GrpcCallEndsOnceTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    @SuppressWarnings({"unchecked", "try"}) // the context is pushed for the block, not read in it
    void aCallWhoseCloseThrowsAfterItsAnswerIsEndedOnce() throws Exception {
        Fixtures.Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        GrpcServices services = new GrpcServices(
                new RpcPipeline(SERVER.tally().authenticator(), SERVER.tally().idempotency()),
                Api.catalog(SERVER.tally(), Api.ledger(SERVER.tally())));
        MethodDescriptor<CreateBillingUsageRequest, CreateBillingUsageResponse> descriptor =
                FrontierServiceGrpc.getCreateBillingUsageMethod();
        ServerMethodDefinition<CreateBillingUsageRequest, CreateBillingUsageResponse> usage =
                (ServerMethodDefinition<CreateBillingUsageRequest, CreateBillingUsageResponse>) services
                        .definitions(FrontierServiceGrpc.getServiceDescriptor()).get(0)
                        .getMethod(descriptor.getFullMethodName());
        ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST,
                "/" + descriptor.getFullMethodName()).set(HttpHeaderNames.AUTHORIZATION,
                TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET)).build()));
        CloseThrowingCall call = new CloseThrowingCall(descriptor);

        try (SafeCloseable ignored = ctx.push()) {
            ServerCall.Listener<CreateBillingUsageRequest> listener =
                    usage.getServerCallHandler().startCall(call, new Metadata());
            listener.onMessage(CreateBillingUsageRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                    .addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(1)).build());
            listener.onHalfClose();
        }
        assertThat(call.closed.await(5, TimeUnit.SECONDS)).isTrue();
        // Whatever ends the call after the throwing close runs on the event loop in the same task.
        ctx.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);

        assertThat(call.closes).extracting(Status::getCode).containsExactly(Status.Code.OK);
        assertThat(fixtures.balance(org, account)).isEqualTo(99); // the usage was served
    }

    /** A call whose transport fails while closing it (the answer written, the end not). */
    private static final class CloseThrowingCall
            extends ServerCall<CreateBillingUsageRequest, CreateBillingUsageResponse> {
        final List<Status> closes = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        private final MethodDescriptor<CreateBillingUsageRequest, CreateBillingUsageResponse> descriptor;

        CloseThrowingCall(MethodDescriptor<CreateBillingUsageRequest, CreateBillingUsageResponse> descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closes.add(status);
            closed.countDown();
            throw new IllegalStateException("the connection failed while ending the call (test)");
        }

        @Override
        public void request(int messages) {}

        @Override
        public void sendHeaders(Metadata headers) {}

        @Override
        public void sendMessage(CreateBillingUsageResponse message) {}

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public MethodDescriptor<CreateBillingUsageRequest, CreateBillingUsageResponse> getMethodDescriptor() {
            return descriptor;
        }
    }
}
