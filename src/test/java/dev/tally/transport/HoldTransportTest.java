package dev.tally.transport;

import dev.tally.api.proto.CaptureBillingHoldRequest;
import dev.tally.api.proto.CaptureBillingHoldResponse;
import dev.tally.api.proto.CreateBillingHoldRequest;
import dev.tally.api.proto.CreateBillingHoldResponse;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingBalanceResponse;
import dev.tally.api.proto.GetBillingHoldRequest;
import dev.tally.api.proto.GetBillingHoldResponse;
import dev.tally.api.proto.ListBillingHoldsRequest;
import dev.tally.api.proto.ListBillingHoldsResponse;
import dev.tally.api.proto.ReleaseBillingHoldRequest;
import dev.tally.api.proto.ReleaseBillingHoldResponse;
import dev.tally.common.ErrorCode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds (DESIGN §12) over every transport, through the RPC catalog: a service user's hold, its
 * capture and release, the balance's held and available, and proto3 presence (an explicit
 * expires_in of 0, a capture amount of 0) kept apart from absence.
 */
class HoldTransportTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    // REST is HoldsTest's (over the paths of DESIGN §12); these are the catalog's other transports.
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = "REST", mode = EnumSource.Mode.EXCLUDE)
    void aServiceUserHoldsCapturesAndReleases(Transport transport) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String meter = serviceUser(org);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        Outcome created = call(transport, meter, FrontierServiceGrpc.getCreateBillingHoldMethod(),
                hold(org, account, first, 40).build());
        call(transport, meter, FrontierServiceGrpc.getCreateBillingHoldMethod(), hold(org, account, second, 30).build());
        GetBillingBalanceResponse balance = call(transport, meter, FrontierServiceGrpc.getGetBillingBalanceMethod(),
                GetBillingBalanceRequest.newBuilder().setOrgId(org.id()).setId(account).build())
                .responseAs(GetBillingBalanceResponse.class);

        assertThat(created.responseAs(CreateBillingHoldResponse.class).getHold().getState()).isEqualTo("held");
        assertThat(balance.getHeld()).isEqualTo(70);
        assertThat(balance.getAvailable()).isEqualTo(30);
        assertThat(balance.getBalance().getAmount()).isEqualTo(100);

        Outcome zeroExpiry = call(transport, meter, FrontierServiceGrpc.getCreateBillingHoldMethod(),
                hold(org, account, UUID.randomUUID().toString(), 1).setExpiresIn(0).build());
        assertThat(zeroExpiry.error()).as(zeroExpiry.toString()).contains(ErrorCode.INVALID_ARGUMENT);
        Outcome tooMuch = call(transport, meter, FrontierServiceGrpc.getCaptureBillingHoldMethod(),
                capture(org, account, first).setAmount(41).build());
        assertThat(tooMuch.error()).as(tooMuch.toString()).contains(ErrorCode.INVALID_ARGUMENT);

        CaptureBillingHoldResponse captured = call(transport, meter, FrontierServiceGrpc.getCaptureBillingHoldMethod(),
                capture(org, account, first).setAmount(15).build()).responseAs(CaptureBillingHoldResponse.class);
        assertThat(captured.getHold().getState()).isEqualTo("captured");
        assertThat(captured.getTransaction().getAmount()).isEqualTo(15);
        CaptureBillingHoldResponse nothing = call(transport, meter, FrontierServiceGrpc.getCaptureBillingHoldMethod(),
                capture(org, account, second).setAmount(0).build()).responseAs(CaptureBillingHoldResponse.class);
        assertThat(nothing.getHold().getCapturedAmount()).isZero();
        assertThat(nothing.hasTransaction()).isFalse();

        String third = UUID.randomUUID().toString();
        call(transport, meter, FrontierServiceGrpc.getCreateBillingHoldMethod(), hold(org, account, third, 5).build());
        ReleaseBillingHoldResponse released = call(transport, meter, FrontierServiceGrpc.getReleaseBillingHoldMethod(),
                ReleaseBillingHoldRequest.newBuilder().setOrgId(org.id()).setBillingId(account).setId(third).build())
                .responseAs(ReleaseBillingHoldResponse.class);
        assertThat(released.getHold().getState()).isEqualTo("released");
        GetBillingHoldResponse read = call(transport, meter, FrontierServiceGrpc.getGetBillingHoldMethod(),
                GetBillingHoldRequest.newBuilder().setOrgId(org.id()).setBillingId(account).setId(first).build())
                .responseAs(GetBillingHoldResponse.class);
        assertThat(read.getHold().getCapturedAmount()).isEqualTo(15);
        ListBillingHoldsResponse listed = call(transport, meter, FrontierServiceGrpc.getListBillingHoldsMethod(),
                ListBillingHoldsRequest.newBuilder().setOrgId(org.id()).setBillingId(account).build())
                .responseAs(ListBillingHoldsResponse.class);
        assertThat(listed.getHoldsCount()).isEqualTo(3);
        assertThat(fixtures.balance(org, account)).isEqualTo(85);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    private static CreateBillingHoldRequest.Builder hold(Org org, String account, String id, long amount) {
        return CreateBillingHoldRequest.newBuilder().setOrgId(org.id()).setBillingId(account).setId(id)
                .setAmount(amount).setSource("transport");
    }

    private static CaptureBillingHoldRequest.Builder capture(Org org, String account, String id) {
        return CaptureBillingHoldRequest.newBuilder().setOrgId(org.id()).setBillingId(account).setId(id);
    }

    private static <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> Outcome call(
            Transport transport, String authorization, io.grpc.MethodDescriptor<Q, R> method, Q request) {
        return transport.call(SERVER.uri(), method, request, Map.of("Authorization", authorization));
    }

    /** A new service user of {@code org}; returns its Basic Authorization header. */
    private static String serviceUser(Org org) {
        TallyClient admin = SERVER.admin();
        String userId = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"meter\"}}").body().path("serviceuser").path("id").asText();
        var secret = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId + "/secrets",
                "{\"title\":\"key\"}").body().path("secret");
        return TallyClient.basic(secret.path("id").asText(), secret.path("secret").asText());
    }
}
