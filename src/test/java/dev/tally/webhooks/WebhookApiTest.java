package dev.tally.webhooks;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.CreateWebhookRequest;
import dev.tally.api.proto.ListWebhooksRequest;
import dev.tally.api.proto.WebhookRequestBody;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Frontier's webhook RPCs (DESIGN §14) over REST and gRPC: secrets, validation, permissions. */
class WebhookApiTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    private static String uniqueUrl() {
        return "http://127.0.0.1:9/hooks/" + UUID.randomUUID();
    }

    private static String body(String url, String more) {
        return "{\"body\":{\"url\":\"" + url + "\",\"description\":\"billing\"" + more + "}}";
    }

    private Reply create(String url, String more) {
        return admin.post("/v1beta1/admin/webhooks", body(url, more));
    }

    private int webhookCount() {
        Reply list = admin.get("/v1beta1/admin/webhooks");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.body().path("webhooks").size();
    }

    @Test
    void createAnswersTheSecretOnceAndTheListHidesIt() {
        String url = uniqueUrl();
        Reply created = create(url, ",\"subscribed_events\":[\"app.billing.credit.granted\"],"
                + "\"headers\":{\"X-Tenant\":\"acme\"},\"metadata\":{\"team\":\"billing\"}");

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        var webhook = created.body().path("webhook");
        String id = webhook.path("id").asText();
        assertThat(webhook.path("url").asText()).isEqualTo(url);
        assertThat(webhook.path("state").asText()).isEqualTo("enabled");
        assertThat(webhook.path("headers").path("X-Tenant").asText()).isEqualTo("acme");
        assertThat(webhook.path("subscribed_events").get(0).asText()).isEqualTo("app.billing.credit.granted");
        assertThat(webhook.path("secrets").get(0).path("id").asText()).isEqualTo("1");
        assertThat(webhook.path("secrets").get(0).path("value").asText()).matches("[0-9a-f]{64}");

        Reply list = admin.get("/v1beta1/admin/webhooks");
        var listed = list.body().path("webhooks").findValues("id").stream().map(node -> node.asText()).toList();
        assertThat(listed).contains(id);
        assertThat(list.rawBody()).doesNotContain(webhook.path("secrets").get(0).path("value").asText());
    }

    @Test
    void eachWebhookGetsItsOwnSecret() {
        String first = create(uniqueUrl(), "").body().path("webhook").path("secrets").get(0).path("value").asText();
        String second = create(uniqueUrl(), "").body().path("webhook").path("secrets").get(0).path("value").asText();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void updateChangesWhatWasSentAndKeepsTheSecretHidden() {
        String id = create(uniqueUrl(), "").body().path("webhook").path("id").asText();
        String newUrl = uniqueUrl();

        Reply updated = admin.put("/v1beta1/admin/webhooks/" + id, "{\"body\":{\"url\":\"" + newUrl
                + "\",\"state\":\"disabled\",\"subscribed_events\":[\"app.billing.usage.created\"]}}");

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.body().path("webhook").path("url").asText()).isEqualTo(newUrl);
        assertThat(updated.body().path("webhook").path("state").asText()).isEqualTo("disabled");
        assertThat(updated.body().path("webhook").path("secrets").get(0).path("value").asText()).isEmpty();
    }

    @Test
    void deleteRemovesTheWebhookAndASecondDeleteIsNotFound() {
        String id = create(uniqueUrl(), "").body().path("webhook").path("id").asText();

        Reply deleted = admin.send("DELETE", "/v1beta1/admin/webhooks/" + id, null);
        Reply again = admin.send("DELETE", "/v1beta1/admin/webhooks/" + id, null);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        ErrorAssertions.assertError(again, 404, 5);
        assertThat(admin.get("/v1beta1/admin/webhooks").rawBody()).doesNotContain(id);
    }

    @Test
    void updatingAnUnknownWebhookIsNotFound() {
        Reply reply = admin.put("/v1beta1/admin/webhooks/" + UUID.randomUUID(), body(uniqueUrl(), ""));

        ErrorAssertions.assertError(reply, 404, 5);
    }

    @Test
    void anUnknownEventNameIsRefusedAndNothingIsCreated() {
        int before = webhookCount();

        Reply reply = create(uniqueUrl(), ",\"subscribed_events\":[\"app.billing.credit.granted\",\"app.nope\"]");

        String message = ErrorAssertions.assertError(reply, 400, 3);
        assertThat(message).contains("app.nope");
        assertThat(webhookCount()).isEqualTo(before);
    }

    @Test
    void urlsThatAreNotAbsoluteHttpAreRefused() {
        int before = webhookCount();

        for (String url : new String[] {"", "ftp://example.com/x", "/relative/path", "example.com/hook",
                "http://exa mple.com/", "javascript:alert(1)", "http:///no-host", "http://example.com/\u00e9"}) {
            ErrorAssertions.assertError(create(url, ""), 400, 3);
        }
        assertThat(webhookCount()).isEqualTo(before);
    }

    @Test
    void aUrlAnotherWebhookHasIsAConflict() {
        String url = uniqueUrl();
        create(url, "");
        String otherId = create(uniqueUrl(), "").body().path("webhook").path("id").asText();

        ErrorAssertions.assertError(create(url, ""), 409, 6);
        ErrorAssertions.assertError(admin.put("/v1beta1/admin/webhooks/" + otherId, body(url, "")), 409, 6);
    }

    @Test
    void headersOverTheLimitsOrSetByTallyAreRefused() {
        int before = webhookCount();
        String many = IntStream.range(0, WebhookSpec.HEADERS_MAX + 1)
                .mapToObj(index -> "\"X-H" + index + "\":\"v\"").collect(Collectors.joining(","));

        ErrorAssertions.assertError(create(uniqueUrl(), ",\"headers\":{" + many + "}"), 400, 3);
        ErrorAssertions.assertError(create(uniqueUrl(), ",\"headers\":{\"X-Signature\":\"forged\"}"), 400, 3);
        ErrorAssertions.assertError(create(uniqueUrl(), ",\"headers\":{\"Bad Name\":\"v\"}"), 400, 3);
        ErrorAssertions.assertError(create(uniqueUrl(), ",\"headers\":{\"X-A\":\"line\\r\\nInjected: 1\"}"), 400, 3);
        ErrorAssertions.assertError(create(uniqueUrl(), ",\"headers\":{\"X-A\":\"" + "v".repeat(
                WebhookSpec.HEADER_VALUE_LENGTH_MAX + 1) + "\"}"), 400, 3);
        ErrorAssertions.assertError(create(uniqueUrl(), ",\"state\":\"paused\""), 400, 3);
        assertThat(webhookCount()).isEqualTo(before);
    }

    @Test
    void aServiceUserMayNotTouchWebhooks() {
        TallyClient robot = fixtures.serviceUser(fixtures.organization());
        String id = create(uniqueUrl(), "").body().path("webhook").path("id").asText();
        int before = webhookCount();

        ErrorAssertions.assertError(robot.post("/v1beta1/admin/webhooks", body(uniqueUrl(), "")), 403, 7);
        ErrorAssertions.assertError(robot.get("/v1beta1/admin/webhooks"), 403, 7);
        ErrorAssertions.assertError(robot.send("DELETE", "/v1beta1/admin/webhooks/" + id, null), 403, 7);
        ErrorAssertions.assertError(robot.get("/v1beta1/admin/webhooks/" + id + "/deliveries"), 403, 7);
        assertThat(webhookCount()).isEqualTo(before);
    }

    @Test
    void theSameRpcsServeGrpcClients() {
        AdminServiceGrpc.AdminServiceBlockingStub stub = GrpcClients.builder(SERVER.uri().toString())
                .addHeader("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .build(AdminServiceGrpc.AdminServiceBlockingStub.class);
        String url = uniqueUrl();

        var created = stub.createWebhook(CreateWebhookRequest.newBuilder()
                .setBody(WebhookRequestBody.newBuilder().setUrl(url).addSubscribedEvents("app.billing.balance.threshold"))
                .build()).getWebhook();
        StatusRuntimeException duplicate = catchThrowableOfType(StatusRuntimeException.class, () ->
                stub.createWebhook(CreateWebhookRequest.newBuilder()
                        .setBody(WebhookRequestBody.newBuilder().setUrl(url)).build()));

        assertThat(created.getSecrets(0).getValue()).matches("[0-9a-f]{64}");
        assertThat(stub.listWebhooks(ListWebhooksRequest.getDefaultInstance()).getWebhooksList())
                .anySatisfy(listed -> {
                    assertThat(listed.getId()).isEqualTo(created.getId());
                    assertThat(listed.getSecrets(0).getValue()).isEmpty();
                });
        assertThat(duplicate.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    }

    @Test
    void anUnframedJsonCallCreatesAWebhookToo() {
        Reply reply = admin.post("/raystack.frontier.v1beta1.AdminService/CreateWebhook",
                "{\"body\":{\"url\":\"" + uniqueUrl() + "\"}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("webhook").path("secrets").get(0).path("value").asText()).hasSize(64);
    }
}
