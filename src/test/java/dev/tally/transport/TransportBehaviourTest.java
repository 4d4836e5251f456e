package dev.tally.transport;

import com.google.protobuf.Message;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.CheckCreditEntitlementRequest;
import dev.tally.api.proto.CheckCreditEntitlementResponse;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.DisableBillingAccountRequest;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingBalanceResponse;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.Usage;
import dev.tally.common.ErrorCode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same behaviour over REST, gRPC, gRPC-Web and Connect (JSON over HTTP/1.1, binary over h2c):
 * the errors of DESIGN §4–§7 with their codes and statuses, an idempotent replay, a 403 across
 * organizations and a service user's permissions. Each case runs once per transport and checks
 * what the caller is told and what the ledger holds afterwards.
 */
class TransportBehaviourTest {
    private static final String ADMIN = TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    /** An organization with an account holding 100 credits and a service user's Authorization header. */
    private record World(Org org, String account, String meter) {}

    private World world() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        return new World(org, account, fixtures.serviceUserAuthorization(org));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void usageDebitsAndAServiceUserReadsItsBalance(Transport transport) {
        World world = world();

        Outcome usage = call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, UUID.randomUUID(), 30));
        Outcome balance = call(transport, world.meter(), FrontierServiceGrpc.getGetBillingBalanceMethod(),
                GetBillingBalanceRequest.newBuilder().setOrgId(world.org().id()).setId(world.account()).build());

        assertThat(usage.error()).as(usage.toString()).isEmpty();
        assertThat(balance.responseAs(GetBillingBalanceResponse.class).getBalance().getAmount()).isEqualTo(70);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aUsageIdAlreadyRecordedIsAlreadyExists(Transport transport) {
        World world = world();
        UUID usageId = UUID.randomUUID();
        call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(), usage(world, usageId, 10));

        Outcome again = call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, usageId, 10));

        assertRefused(transport, again, ErrorCode.ALREADY_EXISTS);
        assertThat(again.message()).contains(usageId.toString());
        assertThat(fixtures.balance(world.org(), world.account())).isEqualTo(90);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDebitBeyondTheBalanceIsInsufficientCreditsAndAppliesNothing(Transport transport) {
        World world = world();

        Outcome refused = call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(),
                CreateBillingUsageRequest.newBuilder().setOrgId(world.org().id()).setBillingId(world.account())
                        .addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(60))
                        .addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(60)).build());

        assertRefused(transport, refused, ErrorCode.INVALID_ARGUMENT);
        assertThat(refused.message()).isEqualTo("insufficient credits");
        assertThat(SERVER.entryCount(world.account())).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void bothOrgIdAndProjectIdIsInvalidArgument(Transport transport) {
        World world = world();

        Outcome refused = call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, UUID.randomUUID(), 1).toBuilder().setProjectId(UUID.randomUUID().toString()).build());

        assertRefused(transport, refused, ErrorCode.INVALID_ARGUMENT);
        assertThat(refused.message()).isEqualTo("both project_id and org_id cannot be provided");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void usageOnADisabledAccountIsFailedPrecondition(Transport transport) {
        World world = world();
        Outcome disabled = call(transport, ADMIN, FrontierServiceGrpc.getDisableBillingAccountMethod(),
                DisableBillingAccountRequest.newBuilder().setOrgId(world.org().id()).setId(world.account()).build());

        Outcome refused = call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, UUID.randomUUID(), 1));

        assertThat(disabled.error()).as(disabled.toString()).isEmpty();
        assertRefused(transport, refused, ErrorCode.FAILED_PRECONDITION);
        assertThat(fixtures.balance(world.org(), world.account())).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void revertingAnUnknownUsageIsNotFoundAndRevertingTwiceIsAlreadyExists(Transport transport) {
        World world = world();
        UUID usageId = UUID.randomUUID();
        call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(), usage(world, usageId, 40));

        Outcome unknown = call(transport, ADMIN, AdminServiceGrpc.getRevertBillingUsageMethod(),
                revert(world, UUID.randomUUID().toString(), 0));
        Outcome tooMuch = call(transport, ADMIN, AdminServiceGrpc.getRevertBillingUsageMethod(),
                revert(world, usageId.toString(), 41));
        Outcome first = call(transport, ADMIN, AdminServiceGrpc.getRevertBillingUsageMethod(),
                revert(world, usageId.toString(), 15));
        Outcome second = call(transport, ADMIN, AdminServiceGrpc.getRevertBillingUsageMethod(),
                revert(world, usageId.toString(), 15));

        assertRefused(transport, unknown, ErrorCode.NOT_FOUND);
        assertRefused(transport, tooMuch, ErrorCode.INVALID_ARGUMENT);
        assertThat(tooMuch.message()).isEqualTo("revert amount is greater than the usage amount");
        assertThat(first.error()).as(first.toString()).isEmpty();
        assertRefused(transport, second, ErrorCode.ALREADY_EXISTS);
        assertThat(second.message()).isEqualTo("usage already reverted");
        assertThat(fixtures.balance(world.org(), world.account())).isEqualTo(75);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aUsageIdThatIsNotAUuidIsInvalidArgument(Transport transport) {
        World world = world();

        Outcome refused = call(transport, ADMIN, AdminServiceGrpc.getRevertBillingUsageMethod(),
                revert(world, "not-a-uuid", 1));

        assertRefused(transport, refused, ErrorCode.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWrongSecretIsUnauthenticated(Transport transport) {
        World world = world();

        Outcome refused = call(transport, TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, "wrong"),
                FrontierServiceGrpc.getGetBillingBalanceMethod(),
                GetBillingBalanceRequest.newBuilder().setOrgId(world.org().id()).setId(world.account()).build());

        assertRefused(transport, refused, ErrorCode.UNAUTHENTICATED);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServiceUserMayNotRevertAndMayNotReachAnotherOrganization(Transport transport) {
        World world = world();
        World other = world();
        UUID usageId = UUID.randomUUID();
        call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(), usage(world, usageId, 10));

        Outcome revert = call(transport, world.meter(), AdminServiceGrpc.getRevertBillingUsageMethod(),
                revert(world, usageId.toString(), 0));
        Outcome foreignBalance = call(transport, world.meter(), FrontierServiceGrpc.getGetBillingBalanceMethod(),
                GetBillingBalanceRequest.newBuilder().setOrgId(other.org().id()).setId(other.account()).build());
        Outcome foreignUsage = call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(other, UUID.randomUUID(), 1));
        Outcome check = call(transport, world.meter(), FrontierServiceGrpc.getCheckCreditEntitlementMethod(),
                CheckCreditEntitlementRequest.newBuilder().setOrgId(world.org().id()).setAmount(90).build());

        assertRefused(transport, revert, ErrorCode.PERMISSION_DENIED);
        assertRefused(transport, foreignBalance, ErrorCode.PERMISSION_DENIED);
        assertRefused(transport, foreignUsage, ErrorCode.PERMISSION_DENIED);
        assertThat(check.responseAs(CheckCreditEntitlementResponse.class).getStatus()).isTrue();
        assertThat(fixtures.balance(world.org(), world.account())).isEqualTo(90);
        assertThat(fixtures.balance(other.org(), other.account())).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndDebitsOnce(Transport transport) {
        World world = world();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        CreateBillingUsageRequest request = usage(world, UUID.randomUUID(), 25);

        Outcome first = call(transport, world.meter(), key, FrontierServiceGrpc.getCreateBillingUsageMethod(), request);
        Outcome retry = call(transport, world.meter(), key, FrontierServiceGrpc.getCreateBillingUsageMethod(), request);
        Outcome otherRequest = call(transport, world.meter(), key, FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, UUID.randomUUID(), 25));

        assertThat(first.error()).as(first.toString()).isEmpty();
        assertThat(first.replayed()).isFalse();
        assertThat(retry.error()).as(retry.toString()).isEmpty();
        assertThat(retry.replayed()).as(retry.toString()).isTrue();
        assertRefused(transport, otherRequest, ErrorCode.ALREADY_EXISTS);
        assertThat(fixtures.balance(world.org(), world.account())).isEqualTo(75);
        assertThat(SERVER.entryCount(world.account())).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusalIsReplayedWithItsCode(Transport transport) {
        World world = world();
        UUID usageId = UUID.randomUUID();
        call(transport, world.meter(), FrontierServiceGrpc.getCreateBillingUsageMethod(), usage(world, usageId, 10));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        Outcome first = call(transport, world.meter(), key, FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, usageId, 10));
        Outcome retry = call(transport, world.meter(), key, FrontierServiceGrpc.getCreateBillingUsageMethod(),
                usage(world, usageId, 10));

        assertRefused(transport, first, ErrorCode.ALREADY_EXISTS);
        assertRefused(transport, retry, ErrorCode.ALREADY_EXISTS);
        assertThat(retry.message()).isEqualTo(first.message());
        assertThat(retry.replayed()).as(retry.toString()).isTrue();
    }

    private static void assertRefused(Transport transport, Outcome outcome, ErrorCode code) {
        assertThat(outcome.error()).as(outcome.toString()).contains(code);
        if (transport.hasHttpErrorStatus()) {
            // REST's gateway statuses and Connect's agree for every code Tally uses.
            assertThat(outcome.httpStatus()).as(outcome.toString()).isEqualTo(code.httpStatus());
        }
        assertThat(outcome.message()).as(outcome.toString()).isNotBlank().doesNotContain("Exception", "SQL");
    }

    private static <Q extends Message, R extends Message> Outcome call(Transport transport, String authorization,
                                                                       MethodDescriptor<Q, R> method, Q request) {
        return call(transport, authorization, Map.of(), method, request);
    }

    private static <Q extends Message, R extends Message> Outcome call(Transport transport, String authorization,
                                                                       Map<String, String> headers,
                                                                       MethodDescriptor<Q, R> method, Q request) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", authorization);
        return transport.call(SERVER.uri(), method, request, all);
    }

    private static CreateBillingUsageRequest usage(World world, UUID usageId, long amount) {
        return CreateBillingUsageRequest.newBuilder().setOrgId(world.org().id()).setBillingId(world.account())
                .addUsages(Usage.newBuilder().setId(usageId.toString()).setAmount(amount).setSource("behaviour"))
                .build();
    }

    private static RevertBillingUsageRequest revert(World world, String usageId, long amount) {
        return RevertBillingUsageRequest.newBuilder().setOrgId(world.org().id()).setBillingId(world.account())
                .setUsageId(usageId).setAmount(amount).build();
    }
}
