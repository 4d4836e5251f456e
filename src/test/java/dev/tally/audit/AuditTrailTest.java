package dev.tally.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.ListAdminAuditEntriesRequest;
import dev.tally.auth.Secrets;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DESIGN §15's audit trail: every admin change that is not a ledger entry leaves one row naming who
 * made it and the target before and after, in the change's transaction (a refused change leaves
 * none), never with a secret; GET /v1beta1/admin/audit_logs lists them newest first, paged and
 * filtered, for platform admins only, on every transport.
 */
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIT = "/v1beta1/admin/audit_logs";

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void eachKindOfAdminChangeLeavesOneRowWithItsActorBeforeAndAfter() throws Exception {
        String actor = "serviceuser:" + SERVER.serviceUserOfCredential(TallyServer.ADMIN_CLIENT_ID);
        Fixtures.Org org = fixtures.organization();
        String account = fixtures.account(org);
        String adminAccount = adminPath(org, account);
        Instant start = tick();

        tick();
        ok(admin.put(adminAccount + "/limits", "{\"credit_min\":\"-1000\"}"));
        tick();
        ok(admin.put(adminAccount + "/alerts", "{\"balance_thresholds\":[\"100\",\"10\"]}"));
        tick();
        ok(admin.post(Fixtures.accountPath(org, account) + "/disable", "{}"));
        tick();
        ok(admin.post(Fixtures.accountPath(org, account) + "/enable", "{}"));
        String url = "http://127.0.0.1:9/hooks/" + UUID.randomUUID();
        tick();
        String webhook = ok(admin.post("/v1beta1/admin/webhooks", "{\"body\":{\"url\":\"" + url
                + "\",\"description\":\"billing\",\"headers\":{\"Authorization\":\"Bearer receiver-token\"}}}"))
                .path("webhook").path("id").asText();
        tick();
        ok(admin.put("/v1beta1/admin/webhooks/" + webhook, "{\"body\":{\"url\":\"" + url
                + "\",\"description\":\"billing\",\"state\":\"disabled\"}}"));
        tick();
        ok(admin.send("DELETE", "/v1beta1/admin/webhooks/" + webhook, null));
        tick();
        String user = ok(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"reporting\"}}")).path("serviceuser").path("id").asText();
        String userPath = "/v1beta1/organizations/" + org.id() + "/serviceusers/" + user;
        tick();
        String credential = ok(admin.post(userPath + "/secrets", "{\"title\":\"key\"}"))
                .path("secret").path("id").asText();
        tick();
        ok(admin.send("DELETE", userPath + "/secrets/" + credential, null));
        tick();
        ok(admin.send("DELETE", userPath, null));

        List<JsonNode> entries = new ArrayList<>();
        ok(admin.get(AUDIT + "?page_size=1000&start_range=" + start)).path("entries").forEach(entries::add);
        assertThat(entries).extracting(entry -> entry.path("action").asText()).containsExactly(
                "serviceuser.delete", "serviceuser.credential.delete", "serviceuser.credential.create",
                "serviceuser.create", "webhook.delete", "webhook.update", "webhook.create",
                "billing_account.enable", "billing_account.disable", "billing_account.alerts.update",
                "billing_account.limits.update");
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.path("actor").asText()).isEqualTo(actor);
            assertThat(entry.path("created_at").asText()).isNotEmpty();
        });

        assertEntry(entries.get(10), "billing_account", account, org.id(), "{\"credit_min\":0}",
                "{\"credit_min\":-1000}");
        assertEntry(entries.get(9), "billing_account", account, org.id(), "{\"balance_thresholds\":[]}",
                "{\"balance_thresholds\":[10,100]}");
        assertEntry(entries.get(8), "billing_account", account, org.id(), "{\"state\":\"active\"}",
                "{\"state\":\"disabled\"}");
        assertEntry(entries.get(7), "billing_account", account, org.id(), "{\"state\":\"disabled\"}",
                "{\"state\":\"active\"}");
        String shownWebhook = "{\"url\":\"" + url + "\",\"description\":\"billing\",\"subscribed_events\":[],"
                + "\"header_names\":[\"Authorization\"],\"state\":\"enabled\"}";
        String shownUpdated = "{\"url\":\"" + url + "\",\"description\":\"billing\",\"subscribed_events\":[],"
                + "\"header_names\":[],\"state\":\"disabled\"}";
        assertEntry(entries.get(6), "webhook", webhook, "", "{}", shownWebhook);
        assertEntry(entries.get(5), "webhook", webhook, "", shownWebhook, shownUpdated);
        assertEntry(entries.get(4), "webhook", webhook, "", shownUpdated, "{}");
        assertEntry(entries.get(3), "serviceuser", user, org.id(), "{}",
                "{\"title\":\"reporting\",\"state\":\"enabled\"}");
        assertEntry(entries.get(2), "serviceuser", user, org.id(), "{}",
                "{\"credential_id\":\"" + credential + "\",\"title\":\"key\"}");
        assertEntry(entries.get(1), "serviceuser", user, org.id(),
                "{\"credential_id\":\"" + credential + "\",\"title\":\"key\"}", "{}");
        assertEntry(entries.get(0), "serviceuser", user, org.id(), "{\"title\":\"reporting\",\"state\":\"enabled\"}",
                "{}");
    }

    @Test
    void aRefusedChangeLeavesNoRow() {
        Fixtures.Org org = fixtures.organization();
        String account = fixtures.account(org);
        TallyClient robot = fixtures.serviceUser(org);
        String adminAccount = Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/");
        String url = "http://127.0.0.1:9/hooks/" + UUID.randomUUID();
        String taken = "http://127.0.0.1:9/hooks/" + UUID.randomUUID();
        String webhook = ok(admin.post("/v1beta1/admin/webhooks", "{\"body\":{\"url\":\"" + url + "\"}}"))
                .path("webhook").path("id").asText();
        ok(admin.post("/v1beta1/admin/webhooks", "{\"body\":{\"url\":\"" + taken + "\"}}"));
        Map<String, Map<String, String>> before = SERVER.tableRows("audit_log");

        assertError(robot.put(adminAccount + "/limits", "{\"credit_min\":\"-5\"}"), 403, 7);
        assertError(admin.put(Fixtures.accountPath(org, UUID.randomUUID().toString())
                .replace("/v1beta1/", "/v1beta1/admin/") + "/limits", "{\"credit_min\":\"-5\"}"), 404, 5);
        assertError(robot.put(adminAccount + "/alerts", "{\"balance_thresholds\":[\"1\"]}"), 403, 7);
        assertError(robot.post(Fixtures.accountPath(org, account) + "/disable", "{}"), 403, 7);
        // A duplicate URL is refused by the database's unique constraint, inside the change's transaction.
        assertError(admin.put("/v1beta1/admin/webhooks/" + webhook, "{\"body\":{\"url\":\"" + taken + "\"}}"),
                409, 6);
        assertError(admin.send("DELETE", "/v1beta1/admin/webhooks/" + UUID.randomUUID(), null), 404, 5);
        assertError(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + UUID.randomUUID()
                + "/secrets", "{\"title\":\"key\"}"), 404, 5);
        assertError(admin.send("DELETE", "/v1beta1/organizations/" + org.id() + "/serviceusers/"
                + UUID.randomUUID(), null), 404, 5);

        assertThat(SERVER.tableRows("audit_log")).isEqualTo(before);
    }

    @Test
    void entriesArePagedNewestFirstAndFilteredByOrganizationAndTime() {
        Fixtures.Org org = fixtures.organization();
        Fixtures.Org other = fixtures.organization();
        String account = fixtures.account(org);
        String otherAccount = fixtures.account(other);
        List<Instant> times = new ArrayList<>();
        for (int change = 1; change <= 5; change++) {
            SERVER.clock().advance(Duration.ofMinutes(1));
            times.add(SERVER.clock().instant());
            ok(admin.put(adminPath(org, account) + "/limits", "{\"credit_min\":\"-" + change + "\"}"));
            ok(admin.put(adminPath(other, otherAccount) + "/limits", "{\"credit_min\":\"-" + change + "\"}"));
        }

        List<String> after = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            JsonNode page = ok(admin.get(AUDIT + "?org_id=" + org.id() + "&page_size=2"
                    + (token.isEmpty() ? "" : "&page_token=" + token)));
            page.path("entries").forEach(entry -> {
                assertThat(entry.path("org_id").asText()).isEqualTo(org.id());
                after.add(entry.path("after").asText());
            });
            token = page.path("next_page_token").asText();
            pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(after).containsExactly("{\"credit_min\":-5}", "{\"credit_min\":-4}", "{\"credit_min\":-3}",
                "{\"credit_min\":-2}", "{\"credit_min\":-1}");

        JsonNode window = ok(admin.get(AUDIT + "?org_id=" + org.id() + "&start_range=" + times.get(1)
                + "&end_range=" + times.get(3)));
        assertThat(window.path("entries")).extracting(entry -> entry.path("after").asText())
                .as("[start_range, end_range), as ListBillingTransactions reads it")
                .containsExactly("{\"credit_min\":-3}", "{\"credit_min\":-2}");
        assertThat(window.path("next_page_token").asText()).isEmpty();

        String firstPageToken = ok(admin.get(AUDIT + "?org_id=" + org.id() + "&page_size=1"))
                .path("next_page_token").asText();
        assertThat(assertError(admin.get(AUDIT + "?org_id=" + other.id() + "&page_size=1&page_token="
                + firstPageToken), 400, 3)).contains("page_token");
        assertThat(assertError(admin.get(AUDIT + "?page_token=garbage"), 400, 3)).contains("page_token");
        assertThat(assertError(admin.get(AUDIT + "?page_size=1001"), 400, 3)).contains("page_size");
        assertThat(assertError(admin.get(AUDIT + "?org_id=not-an-id"), 400, 3)).contains("org_id");
        assertThat(assertError(admin.get(AUDIT + "?start_range=" + times.get(3) + "&end_range=" + times.get(1)),
                400, 3)).contains("end_range");
    }

    @Test
    void onlyAPlatformAdminMayReadTheTrailOnEveryTransport() {
        Fixtures.Org org = fixtures.organization();
        String robotAuthorization = robotAuthorization(org);
        TallyClient robot = admin.withAuthorization(robotAuthorization);
        assertError(robot.get(AUDIT + "?org_id=" + org.id()), 403, 7);
        assertError(SERVER.anonymous().get(AUDIT), 401, 16);

        assertThatThrownBy(() -> grpc(robotAuthorization).listAdminAuditEntries(
                ListAdminAuditEntriesRequest.newBuilder().setOrgId(org.id()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        var byGrpc = grpc(TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .listAdminAuditEntries(ListAdminAuditEntriesRequest.newBuilder().setOrgId(org.id()).build());
        assertThat(byGrpc.getEntriesList()).extracting(entry -> entry.getAction())
                .containsExactly("serviceuser.credential.create", "serviceuser.create");

        Reply byConnect = admin.withHeader("Connect-Protocol-Version", "1").post(
                "/raystack.frontier.v1beta1.AdminService/ListAdminAuditEntries", "{\"orgId\":\"" + org.id() + "\"}");
        assertThat(byConnect.status()).as(byConnect.toString()).isEqualTo(200);
        assertThat(byConnect.body().path("entries")).extracting(entry -> entry.path("target_type").asText())
                .containsExactly("serviceuser", "serviceuser");
        Reply refusedByConnect = robot.withHeader("Connect-Protocol-Version", "1").post(
                "/raystack.frontier.v1beta1.AdminService/ListAdminAuditEntries", "{}");
        assertThat(refusedByConnect.status()).isEqualTo(403);
        assertThat(refusedByConnect.body().path("code").asText()).isEqualTo("permission_denied");
    }

    @Test
    void noAuditRowHoldsASecretOrASecretHash() {
        Fixtures.Org org = fixtures.organization();
        String user = ok(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"keys\"}}")).path("serviceuser").path("id").asText();
        String userPath = "/v1beta1/organizations/" + org.id() + "/serviceusers/" + user;
        List<String> secrets = new ArrayList<>();
        for (String title : List.of("one", "two")) {
            JsonNode credential = ok(admin.post(userPath + "/secrets", "{\"title\":\"" + title + "\"}")).path("secret");
            secrets.add(credential.path("secret").asText());
            secrets.add(Secrets.sha256Hex(credential.path("secret").asText()));
            ok(admin.send("DELETE", userPath + "/secrets/" + credential.path("id").asText(), null));
        }
        String headerToken = "receiver-token-" + UUID.randomUUID();
        JsonNode webhook = ok(admin.post("/v1beta1/admin/webhooks", "{\"body\":{\"url\":\"http://127.0.0.1:9/hooks/"
                + UUID.randomUUID() + "\",\"headers\":{\"X-Api-Key\":\"" + headerToken + "\"}}}")).path("webhook");
        String webhookSecret = webhook.path("secrets").get(0).path("value").asText();
        secrets.add(webhookSecret);
        secrets.add(headerToken);
        ok(admin.send("DELETE", "/v1beta1/admin/webhooks/" + webhook.path("id").asText(), null));
        ok(admin.send("DELETE", userPath, null));

        assertThat(secrets).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThan(10));
        String table = SERVER.tableRows("audit_log").toString();
        assertThat(table).contains(user, webhook.path("id").asText());
        assertThat(secrets).allSatisfy(secret -> assertThat(table).doesNotContain(secret));
    }

    private static void assertEntry(JsonNode entry, String targetType, String targetId, String orgId, String before,
                                    String after) throws Exception {
        assertThat(entry.path("target_type").asText()).isEqualTo(targetType);
        assertThat(entry.path("target_id").asText()).isEqualTo(targetId);
        assertThat(entry.path("org_id").asText()).isEqualTo(orgId);
        assertThat(JSON.readTree(entry.path("before").asText())).as("before").isEqualTo(JSON.readTree(before));
        assertThat(JSON.readTree(entry.path("after").asText())).as("after").isEqualTo(JSON.readTree(after));
    }

    /** A new service user of {@code org} with one credential, as Basic authorization; each change a tick apart. */
    private String robotAuthorization(Fixtures.Org org) {
        tick();
        String user = ok(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"robot\"}}")).path("serviceuser").path("id").asText();
        tick();
        JsonNode secret = ok(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + user + "/secrets",
                "{\"title\":\"key\"}")).path("secret");
        return TallyClient.basic(secret.path("id").asText(), secret.path("secret").asText());
    }

    /** Moves the server's clock on, so that changes made after it sort after those made before. */
    private static Instant tick() {
        SERVER.clock().advance(Duration.ofSeconds(1));
        return SERVER.clock().instant();
    }

    private static String adminPath(Fixtures.Org org, String account) {
        return "/v1beta1/admin/organizations/" + org.id() + "/billing/" + account;
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    private static AdminServiceGrpc.AdminServiceBlockingStub grpc(String authorization) {
        return GrpcClients.builder(SERVER.uri().toString())
                .addHeader("Authorization", authorization)
                .build(AdminServiceGrpc.AdminServiceBlockingStub.class);
    }
}
