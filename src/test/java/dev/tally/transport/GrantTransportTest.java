package dev.tally.transport;

import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.api.proto.AddBillingCreditsResponse;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.BillingGrant;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.ListBillingAllocationsRequest;
import dev.tally.api.proto.ListBillingAllocationsResponse;
import dev.tally.api.proto.ListBillingGrantsRequest;
import dev.tally.api.proto.ListBillingGrantsResponse;
import dev.tally.common.ErrorCode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grants (DESIGN §13) over every transport, through the RPC catalog: expires_at and an explicit
 * priority of 0 on AddBillingCredits, the grants list, a debit's allocations, and bad input.
 */
class GrantTransportTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final String ADMIN = TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);

    private final Fixtures fixtures = new Fixtures(SERVER);

    // REST is GrantsTest's (over the paths of DESIGN §13); these are the catalog's other transports.
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = "REST", mode = EnumSource.Mode.EXCLUDE)
    void grantsAndAllocationsReadTheSameOnEveryTransport(Transport transport) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Instant expiry = SERVER.clock().instant().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String promo = credit(transport, credits(org, account, 30).setPriority(0)
                .setExpiresAt(Timestamp.newBuilder().setSeconds(expiry.getEpochSecond())).build())
                .getTransaction().getId();
        String paid = credit(transport, credits(org, account, 100).build()).getTransaction().getId();
        String usage = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(SERVER.admin(), org, account, usage, 50).status()).isEqualTo(200);

        ListBillingGrantsResponse grants = call(transport, FrontierServiceGrpc.getListBillingGrantsMethod(),
                ListBillingGrantsRequest.newBuilder().setOrgId(org.id()).setBillingId(account).build())
                .responseAs(ListBillingGrantsResponse.class);
        ListBillingAllocationsResponse allocations = call(transport,
                FrontierServiceGrpc.getListBillingAllocationsMethod(), ListBillingAllocationsRequest.newBuilder()
                        .setOrgId(org.id()).setBillingId(account).setId(usage).build())
                .responseAs(ListBillingAllocationsResponse.class);

        assertThat(grants.getGrantsList()).extracting(BillingGrant::getId).containsExactly(paid, promo);
        BillingGrant promoGrant = grants.getGrants(1);
        assertThat(promoGrant.getPriority()).isZero();
        assertThat(promoGrant.getRemaining()).isZero();
        assertThat(promoGrant.getState()).isEqualTo("spent");
        assertThat(promoGrant.getExpiresAt().getSeconds()).isEqualTo(expiry.getEpochSecond());
        assertThat(grants.getGrants(0).getRemaining()).isEqualTo(80);
        assertThat(grants.getGrants(0).getPriority()).isEqualTo(50);
        assertThat(grants.getGrants(0).hasExpiresAt()).isFalse();
        assertThat(allocations.getAllocationsList()).extracting(a -> a.getGrantId() + ":" + a.getAmount())
                .containsExactly(promo + ":30", paid + ":20");

        Outcome badPriority = call(transport, AdminServiceGrpc.getAddBillingCreditsMethod(),
                credits(org, account, 5).setPriority(101).build());
        assertThat(badPriority.error()).as(badPriority.toString()).contains(ErrorCode.INVALID_ARGUMENT);
        Outcome past = call(transport, AdminServiceGrpc.getAddBillingCreditsMethod(), credits(org, account, 5)
                .setExpiresAt(Timestamp.newBuilder().setSeconds(SERVER.clock().instant().getEpochSecond() - 1)).build());
        assertThat(past.error()).as(past.toString()).contains(ErrorCode.INVALID_ARGUMENT);
        Outcome unknown = call(transport, FrontierServiceGrpc.getListBillingAllocationsMethod(),
                ListBillingAllocationsRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                        .setId(UUID.randomUUID().toString()).build());
        assertThat(unknown.error()).as(unknown.toString()).contains(ErrorCode.NOT_FOUND);
        assertThat(fixtures.balance(org, account)).isEqualTo(80);
    }

    // A client that lost the first answer retries the same request; by then its expires_at may
    // have passed. Only a new grant needs an expires_at in the future (issue 12).
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aGrantResentAfterItsExpiryIsAnsweredAsTheFirstTime(Transport transport) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Timestamp expiry = Timestamp.newBuilder()
                .setSeconds(SERVER.clock().instant().plus(Duration.ofSeconds(60)).getEpochSecond()).build();
        AddBillingCreditsRequest request = credits(org, account, 40).setExpiresAt(expiry).build();
        AddBillingCreditsResponse first = credit(transport, request);
        SERVER.clock().advance(Duration.ofSeconds(61));
        long entries = SERVER.entryCount(account);

        Outcome again = call(transport, AdminServiceGrpc.getAddBillingCreditsMethod(), request);
        Outcome otherAmount = call(transport, AdminServiceGrpc.getAddBillingCreditsMethod(),
                request.toBuilder().setAmount(41).build());
        Outcome newGrant = call(transport, AdminServiceGrpc.getAddBillingCreditsMethod(),
                request.toBuilder().setId(UUID.randomUUID().toString()).build());

        assertThat(again.responseAs(AddBillingCreditsResponse.class)).isEqualTo(first);
        assertThat(otherAmount.error()).as(otherAmount.toString()).contains(ErrorCode.ALREADY_EXISTS);
        assertThat(newGrant.error()).as(newGrant.toString()).contains(ErrorCode.INVALID_ARGUMENT);
        assertThat(newGrant.message()).contains("expires_at");
        assertThat(SERVER.entryCount(account)).isEqualTo(entries);
        assertThat(fixtures.balance(org, account)).as("the grant expired; its resend added nothing").isZero();
    }

    private static AddBillingCreditsRequest.Builder credits(Org org, String account, long amount) {
        return AddBillingCreditsRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                .setId(UUID.randomUUID().toString()).setAmount(amount).setSource("transport");
    }

    private static AddBillingCreditsResponse credit(Transport transport, AddBillingCreditsRequest request) {
        Outcome outcome = call(transport, AdminServiceGrpc.getAddBillingCreditsMethod(), request);
        return outcome.responseAs(AddBillingCreditsResponse.class);
    }

    private static <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> Outcome call(
            Transport transport, io.grpc.MethodDescriptor<Q, R> method, Q request) {
        return transport.call(SERVER.uri(), method, request, Map.of("Authorization", ADMIN));
    }
}
