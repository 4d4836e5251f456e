package dev.tally.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.Main;
import dev.tally.Tally;
import dev.tally.ops.Operations;
import dev.tally.ops.OperationsConfig;
import dev.tally.storage.Database;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frontier's service-user lifecycle RPCs, and revocation: a deleted credential or service user is refused
 * by every process within 1 s. Two servers share one database here, as two processes behind a load
 * balancer do; each has its own authentication cache.
 */
class CredentialLifecycleTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    private static Database secondPool;
    private static Tally secondTally;
    private static Operations secondOperations;
    private static Server secondServer;

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @BeforeAll
    static void aSecondProcessOnTheSameDatabase() {
        secondPool = SERVER.openAnotherPool();
        secondTally = new Tally(secondPool, Clock.systemUTC());
        secondOperations = new Operations(secondTally, OperationsConfig.DEFAULTS, new PrintStream(OutputStream.nullOutputStream()));
        ServerBuilder builder = Server.builder();
        secondOperations.listen(builder, 0);
        Main.configureServices(builder, secondTally, secondOperations);
        secondServer = builder.build();
        secondServer.start().join();
    }

    @AfterAll
    static void stopTheSecond() {
        secondServer.stop().join();
        secondTally.close();
        secondOperations.close();
        secondPool.close();
    }

    @Test
    void serviceUsersAndCredentialsAreListedWithoutSecrets() {
        Fixtures.Org org = fixtures.organization();
        JsonNode user = createUser(org, "reporting");
        String userId = user.path("id").asText();
        JsonNode first = createCredential(org, userId, "first");
        createCredential(org, userId, "second");

        Reply list = admin.get("/v1beta1/serviceusers?org_id=" + org.name());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body().path("serviceusers")).extracting(node -> node.path("id").asText()).containsExactly(userId);
        assertThat(admin.get("/v1beta1/serviceusers?org_id=" + org.id() + "&state=disabled").body()
                .path("serviceusers")).isEmpty();
        assertThat(assertError(admin.get("/v1beta1/serviceusers?org_id=" + org.id() + "&state=gone"), 400, 3)).contains("state");

        Reply got = admin.get(userPath(org, userId));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.body().path("serviceuser").path("title").asText()).isEqualTo("reporting");
        assertThat(got.body().path("serviceuser").path("state").asText()).isEqualTo("enabled");

        Reply credentials = admin.get(userPath(org, userId) + "/secrets");
        assertThat(credentials.status()).isEqualTo(200);
        assertThat(credentials.body().path("secrets")).extracting(node -> node.path("title").asText())
                .containsExactly("first", "second");
        assertThat(credentials.body().path("secrets")).allSatisfy(node -> assertThat(node.path("secret").asText()).isEmpty());
        assertThat(credentials.rawBody()).doesNotContain(first.path("secret").asText());
    }

    @Test
    void aDeletedCredentialIsRefusedByEveryProcessWithinOneSecond() {
        Fixtures.Org org = fixtures.organization();
        String userId = createUser(org, "api").path("id").asText();
        JsonNode revoked = createCredential(org, userId, "leaked");
        JsonNode kept = createCredential(org, userId, "new");
        String revokedBasic = basic(revoked);
        String revokedBearer = "Bearer " + revoked.path("secret").asText();
        List<TallyClient> revokedClients = List.of(
                client(SERVER.uri(), revokedBasic), client(secondUri(), revokedBasic),
                client(SERVER.uri(), revokedBearer), client(secondUri(), revokedBearer));
        revokedClients.forEach(client -> assertThat(client.get("/v1beta1/organizations/" + org.id()).status())
                .as("works before revocation (and is now cached)").isEqualTo(200));

        Reply deleted = admin.send("DELETE", userPath(org, userId) + "/secrets/" + revoked.path("id").asText(), null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        long deletedAt = System.nanoTime();

        assertRefusedWithinOneSecond(revokedClients, org, deletedAt);
        assertThat(client(secondUri(), basic(kept)).get("/v1beta1/organizations/" + org.id()).status())
                .as("the user's other credential still works").isEqualTo(200);
        assertThat(admin.get(userPath(org, userId) + "/secrets").body().path("secrets"))
                .extracting(node -> node.path("title").asText()).containsExactly("new");
        assertThat(assertError(admin.send("DELETE", userPath(org, userId) + "/secrets/" + revoked.path("id").asText(),
                null), 404, 5)).contains("credential");
    }

    @Test
    void aDeletedServiceUserIsRefusedEverywhereWithinOneSecondAndItsEntriesRemain() {
        Fixtures.Org org = fixtures.organization();
        String accountId = fixtures.account(org);
        fixtures.grant(org, accountId, 100);
        String userId = createUser(org, "old-product").path("id").asText();
        JsonNode credential = createCredential(org, userId, "key");
        List<TallyClient> clients = List.of(client(SERVER.uri(), basic(credential)),
                client(secondUri(), basic(credential)));
        String usageId = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(clients.get(1), org, accountId, usageId, 7).status()).isEqualTo(200);
        clients.forEach(client -> assertThat(client.get("/v1beta1/organizations/" + org.id()).status()).isEqualTo(200));

        Reply deleted = admin.send("DELETE", userPath(org, userId), null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.rawBody()).isEqualTo("{}");
        long deletedAt = System.nanoTime();

        assertRefusedWithinOneSecond(clients, org, deletedAt);
        assertThat(assertError(admin.get(userPath(org, userId)), 404, 5)).contains("service user");
        assertThat(assertError(admin.send("DELETE", userPath(org, userId), null), 404, 5)).contains("service user");
        assertThat(assertError(admin.post(userPath(org, userId) + "/secrets", "{\"title\":\"again\"}"), 404, 5)).contains("service user");
        assertThat(admin.get("/v1beta1/serviceusers?org_id=" + org.id()).body().path("serviceusers")).isEmpty();
        assertThat(SERVER.entryCreatedBy(usageId)).isEqualTo("serviceuser:" + userId);
        assertThat(SERVER.rowCount("billing_transactions")).isPositive();
    }

    @Test
    void onlyAPlatformAdminManagesServiceUsers() {
        Fixtures.Org org = fixtures.organization();
        TallyClient product = fixtures.serviceUser(org);
        String userId = createUser(org, "other").path("id").asText();
        assertThat(assertError(product.get("/v1beta1/serviceusers?org_id=" + org.id()), 403, 7)).contains("platform admin");
        assertThat(assertError(product.get(userPath(org, userId)), 403, 7)).contains("platform admin");
        assertThat(assertError(product.send("DELETE", userPath(org, userId), null), 403, 7)).contains("platform admin");
        assertThat(assertError(product.get(userPath(org, userId) + "/secrets"), 403, 7)).contains("platform admin");
        assertThat(admin.get(userPath(org, userId)).status()).as("nothing was deleted").isEqualTo(200);
    }

    @Test
    void aServiceUserOfAnotherOrganizationOrABadIdIsNotFoundOrRefused() {
        Fixtures.Org org = fixtures.organization();
        Fixtures.Org other = fixtures.organization();
        String userId = createUser(org, "mine").path("id").asText();
        assertThat(assertError(admin.get(userPath(other, userId)), 404, 5)).contains("service user");
        assertThat(assertError(admin.send("DELETE", userPath(other, userId), null), 404, 5)).contains("service user");
        assertThat(assertError(admin.get(userPath(org, "not-a-uuid")), 400, 3)).contains("id");
        assertThat(assertError(admin.get("/v1beta1/serviceusers"), 400, 3)).contains("org_id");
        assertThat(admin.get(userPath(org, userId)).status()).isEqualTo(200);
    }

    @Test
    void theSameRpcsAnswerOverGrpcTransports() {
        Fixtures.Org org = fixtures.organization();
        String userId = createUser(org, "grpc").path("id").asText();
        createCredential(org, userId, "k");
        Reply listed = admin.post("/raystack.frontier.v1beta1.FrontierService/ListServiceUserCredentials",
                "{\"org_id\":\"" + org.id() + "\",\"id\":\"" + userId + "\"}");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.body().path("secrets")).hasSize(1);
        Reply deleted = admin.post("/raystack.frontier.v1beta1.FrontierService/DeleteServiceUser",
                "{\"org_id\":\"" + org.id() + "\",\"id\":\"" + userId + "\"}");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(admin.get(userPath(org, userId)).status()).isEqualTo(404);
    }

    private static void assertRefusedWithinOneSecond(List<TallyClient> clients, Fixtures.Org org, long deletedAt) {
        for (TallyClient client : clients) {
            while (client.get("/v1beta1/organizations/" + org.id()).status() != 401) {
                assertThat(System.nanoTime() - deletedAt).as("refused within 1 s of the deletion")
                        .isLessThan(1_000_000_000L);
                sleep();
            }
        }
        long elapsedNanos = System.nanoTime() - deletedAt;
        assertThat(elapsedNanos).isLessThan(1_000_000_000L);
        clients.forEach(client -> assertThat(client.get("/v1beta1/organizations/" + org.id()).status())
                .as("and stays refused").isEqualTo(401));
    }

    private JsonNode createUser(Fixtures.Org org, String title) {
        Reply reply = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"" + title + "\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().path("serviceuser");
    }

    private JsonNode createCredential(Fixtures.Org org, String userId, String title) {
        Reply reply = admin.post(userPath(org, userId) + "/secrets", "{\"title\":\"" + title + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().path("secret");
    }

    private static String userPath(Fixtures.Org org, String userId) {
        return "/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId;
    }

    private static String basic(JsonNode credential) {
        return TallyClient.basic(credential.path("id").asText(), credential.path("secret").asText());
    }

    private static TallyClient client(URI base, String authorization) {
        return new TallyClient(base, Optional.of(authorization));
    }

    private static URI secondUri() {
        return URI.create("http://127.0.0.1:" + secondServer.activeLocalPort() + "/");
    }

    private static void sleep() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
