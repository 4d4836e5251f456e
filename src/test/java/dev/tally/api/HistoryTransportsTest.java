package dev.tally.api;

import com.google.protobuf.Timestamp;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SerializationFormat;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingUsageSummaryRequest;
import dev.tally.api.proto.GetBillingUsageSummaryResponse;
import dev.tally.api.proto.ListBillingTransactionsRequest;
import dev.tally.api.proto.ListBillingTransactionsResponse;
import dev.tally.api.proto.Usage;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Pages, the balance as of an instant and usage summaries over gRPC, gRPC-Web and unframed JSON; a page
 * says the same over every transport.
 */
class HistoryTransportsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @ParameterizedTest
    @ValueSource(strings = {"gproto", "gproto-web", "gjson"})
    void pagesBalanceAtAndSummaryWorkOverGrpcAndGrpcWeb(String format) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        Instant afterGrant = SERVER.clock().instant();
        FrontierServiceGrpc.FrontierServiceBlockingStub frontier = frontier(SerializationFormat.of(format));
        for (int index = 0; index < 5; index++) {
            frontier.createBillingUsage(CreateBillingUsageRequest.newBuilder().setOrgId(org.id()).setBillingId(account)
                    .addUsages(Usage.newBuilder().setId(UUID.randomUUID().toString()).setAmount(2).setSource("api"))
                    .build());
        }

        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            ListBillingTransactionsResponse page = frontier.listBillingTransactions(ListBillingTransactionsRequest
                    .newBuilder().setOrgId(org.id()).setBillingId(account).setPageSize(2).setPageToken(token)
                    .setType("debit").build());
            page.getTransactionsList().forEach(entry -> paged.add(entry.getId()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        long balanceThen = frontier.getBillingBalance(GetBillingBalanceRequest.newBuilder().setOrgId(org.id())
                .setId(account).setAt(timestamp(afterGrant)).build()).getBalance().getAmount();
        Instant day = SERVER.clock().instant().truncatedTo(ChronoUnit.DAYS);
        GetBillingUsageSummaryResponse summary = frontier.getBillingUsageSummary(GetBillingUsageSummaryRequest
                .newBuilder().setOrgId(org.id()).setBillingId(account).setStartRange(timestamp(day))
                .setEndRange(timestamp(day.plus(1, ChronoUnit.DAYS))).setWindow("day").setGroupBy("source").build());

        assertThat(paged).hasSize(5).doesNotHaveDuplicates();
        assertThat(balanceThen).isEqualTo(100);
        assertThat(summary.getBucketsCount()).isEqualTo(1);
        assertThat(summary.getBuckets(0).getSource()).isEqualTo("api");
        assertThat(summary.getBuckets(0).getUsage()).isEqualTo(10);
        assertThat(summary.getBuckets(0).getUsageCount()).isEqualTo(5);
    }

    @Test
    void badHistoryInputOverGrpcIsInvalidArgumentWithTheSameMessage() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        FrontierServiceGrpc.FrontierServiceBlockingStub frontier = frontier(GrpcSerializationFormats.PROTO);

        StatusRuntimeException pageSize = catchThrowableOfType(StatusRuntimeException.class, () ->
                frontier.listBillingTransactions(ListBillingTransactionsRequest.newBuilder().setOrgId(org.id())
                        .setBillingId(account).setPageSize(1_001).build()));
        StatusRuntimeException window = catchThrowableOfType(StatusRuntimeException.class, () ->
                frontier.getBillingUsageSummary(GetBillingUsageSummaryRequest.newBuilder().setOrgId(org.id())
                        .setBillingId(account).setStartRange(timestamp(Instant.EPOCH))
                        .setEndRange(timestamp(Instant.EPOCH.plusSeconds(60))).setWindow("week").build()));
        Reply rest = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?page_size=1001");

        assertThat(pageSize.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(pageSize.getStatus().getDescription()).isEqualTo(rest.body().path("message").asText());
        assertThat(window.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void anUnframedJsonSummaryAndPageAnswerWithProtojson() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 9);

        Reply summary = SERVER.admin().post("/raystack.frontier.v1beta1.FrontierService/GetBillingUsageSummary",
                "{\"org_id\":\"" + org.id() + "\",\"billing_id\":\"" + account + "\",\"start_range\":\""
                        + "2026-01-01T00:00:00Z\",\"end_range\":\"2026-01-03T00:00:00Z\",\"window\":\"day\"}");
        Reply page = SERVER.admin().post("/raystack.frontier.v1beta1.FrontierService/ListBillingTransactions",
                "{\"org_id\":\"" + org.id() + "\",\"billing_id\":\"" + account + "\",\"page_size\":1}");
        Reply bad = SERVER.admin().post("/raystack.frontier.v1beta1.FrontierService/GetBillingUsageSummary",
                "{\"org_id\":\"" + org.id() + "\",\"billing_id\":\"" + account + "\",\"window\":\"day\"}");

        assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
        assertThat(summary.body().path("buckets").size()).isEqualTo(2);
        assertThat(summary.body().path("buckets").path(1).path("start").asText()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body().path("transactions").size()).isEqualTo(1);
        ErrorAssertions.assertError(bad, 400, 3);
    }

    @Test
    void everyTransportAnswersAPageWithTheSameEntriesAndRestWithJsonFormatsBytes() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        String usageId = UUID.randomUUID().toString();
        Reply usage = SERVER.admin().post(Fixtures.accountPath(org, account) + "/usages", "{\"usages\":["
                + "{\"id\":\"" + usageId + "\",\"amount\":\"7\",\"source\":\"caf\u00e9 <&>\","
                + "\"description\":\"\\\"q\\\" \\n \\u2028 \uD83D\uDE00 \u4e2d\",\"user_id\":\"u='1'\","
                + "\"metadata\":{\"n\":12,\"r\":0.5,\"t\":\"x\\ty\",\"l\":[1,{\"a\":null}]}},"
                + "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"3\",\"source\":\"api\"}]}");
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        Reply revert = SERVER.admin().post(Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/")
                + "/usage/" + usageId + "/revert", "{\"amount\":\"2\"}");
        assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
        ListBillingTransactionsRequest request = ListBillingTransactionsRequest.newBuilder().setOrgId(org.id())
                .setBillingId(account).setPageSize(3).build();

        ListBillingTransactionsResponse grpc = frontier(GrpcSerializationFormats.PROTO).listBillingTransactions(request);
        Reply rest = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?page_size=3");
        Reply connectJson = SERVER.admin().post("/raystack.frontier.v1beta1.FrontierService/ListBillingTransactions",
                "{\"org_id\":\"" + org.id() + "\",\"billing_id\":\"" + account + "\",\"page_size\":3}");
        AggregatedHttpResponse connectProto = WebClient.of(SERVER.uri()).execute(HttpRequest.of(
                RequestHeaders.builder(HttpMethod.POST, "/raystack.frontier.v1beta1.FrontierService/ListBillingTransactions")
                        .contentType(MediaType.create("application", "proto"))
                        .set("Connect-Protocol-Version", "1")
                        .set("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                        .build(), HttpData.wrap(request.toByteArray()))).aggregate().join();

        assertThat(grpc.getTransactionsCount()).isEqualTo(3);
        assertThat(grpc.getTransactionsList()).anySatisfy(entry -> assertThat(entry.getMetadata().getFieldsCount())
                .isEqualTo(4));
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        assertThat(rest.header("content-type")).contains("application/json; charset=utf-8");
        assertThat(rest.rawBody()).isEqualTo(ProtoJson.printWithJsonFormat(grpc));
        assertThat(connectJson.rawBody()).isEqualTo(rest.rawBody());
        assertThat(connectProto.status().code()).isEqualTo(200);
        assertThat(ListBillingTransactionsResponse.parseFrom(connectProto.content().array())).isEqualTo(grpc);
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static FrontierServiceGrpc.FrontierServiceBlockingStub frontier(SerializationFormat format) {
        return GrpcClients.builder(SERVER.uri().toString())
                .serializationFormat(format)
                .addHeader("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .build(FrontierServiceGrpc.FrontierServiceBlockingStub.class);
    }
}
