package dev.tally.auth;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §7: who may call at all. Every failed authentication is the same 401. */
class AuthenticationTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aRequestWithoutAuthorizationIsUnauthenticated() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        TallyClient anonymous = SERVER.anonymous();

        assertError(anonymous.get("/v1beta1/organizations/" + org.id()), 401, 16);
        assertError(anonymous.get(Fixtures.accountPath(org, account) + "/balance"), 401, 16);
        assertError(anonymous.get("/v1beta1/admin/organizations"), 401, 16);
        assertError(fixtures.reportUsage(anonymous, org, account, UUID.randomUUID().toString(), 10), 401, 16);

        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertThat(SERVER.entryCount(account)).isEqualTo(1);
    }

    @Test
    void everyBadAuthorizationIsUnauthenticatedWithTheSameMessage() {
        Org org = fixtures.organization();
        ClientCredential credential = credential(org);
        Map<String, String> badHeaders = new LinkedHashMap<>();
        badHeaders.put("wrong secret", TallyClient.basic(credential.clientId(), credential.secret() + "x"));
        badHeaders.put("unknown client id", TallyClient.basic(UUID.randomUUID().toString(), credential.secret()));
        badHeaders.put("empty secret", TallyClient.basic(credential.clientId(), ""));
        badHeaders.put("garbage base64", "Basic !!!not-base64%%%");
        badHeaders.put("basic without colon", "Basic " + base64(credential.clientId() + credential.secret()));
        badHeaders.put("basic with empty client id", "Basic " + base64(":" + credential.secret()));
        badHeaders.put("basic with nothing after it", "Basic");
        badHeaders.put("unknown scheme", "Token " + credential.secret());
        badHeaders.put("digest scheme", "Digest username=\"" + credential.clientId() + "\"");
        badHeaders.put("wrong bearer", "Bearer " + credential.secret() + "x");
        badHeaders.put("empty bearer", "Bearer ");
        badHeaders.put("bare secret", credential.secret());
        badHeaders.put("oversized header", "Bearer " + "a".repeat(5000));

        Map<String, String> messages = new LinkedHashMap<>();
        badHeaders.forEach((label, header) -> {
            Reply reply = SERVER.anonymous().withAuthorization(header).get("/v1beta1/organizations/" + org.id());
            messages.put(label, assertError(reply, 401, 16));
        });

        String missing = assertError(SERVER.anonymous().get("/v1beta1/organizations/" + org.id()), 401, 16);
        assertThat(messages).as("one message for every failure, so a caller cannot tell which part was wrong")
                .allSatisfy((label, message) -> assertThat(message).as(label).isEqualTo(missing));
    }

    @Test
    void aClientIdWithANulCharacterIsUnauthenticatedNotAServerError() {
        Org org = fixtures.organization();
        ClientCredential credential = credential(org);
        String path = "/v1beta1/organizations/" + org.id();

        Reply nulInId = SERVER.anonymous()
                .withAuthorization(TallyClient.basic(credential.clientId() + "\0", credential.secret())).get(path);
        Reply nulInSecret = SERVER.anonymous()
                .withAuthorization(TallyClient.basic(credential.clientId(), credential.secret() + "\0")).get(path);

        assertError(nulInId, 401, 16);
        assertError(nulInSecret, 401, 16);
    }

    @Test
    void aFailedAuthenticationDoesNotNameTheClientIdOrSecret() {
        Org org = fixtures.organization();
        ClientCredential credential = credential(org);

        Reply reply = SERVER.anonymous().withAuthorization(TallyClient.basic(credential.clientId(), "wrong-secret"))
                .get("/v1beta1/organizations/" + org.id());

        assertError(reply, 401, 16);
        assertThat(reply.rawBody()).doesNotContain(credential.clientId()).doesNotContain("wrong-secret");
    }

    @Test
    void basicAuthenticationWithAServiceUserCredentialIsAccepted() {
        Org org = fixtures.organization();
        ClientCredential credential = credential(org);

        Reply reply = SERVER.anonymous().withAuthorization(TallyClient.basic(credential.clientId(), credential.secret()))
                .get("/v1beta1/organizations/" + org.id());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("organization").path("id").asText()).isEqualTo(org.id());
    }

    @Test
    void bearerAuthenticationWithTheSecretAloneIsAccepted() {
        Org org = fixtures.organization();
        ClientCredential credential = credential(org);

        Reply reply = SERVER.anonymous().withAuthorization("Bearer " + credential.secret())
                .get("/v1beta1/organizations/" + org.id());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("organization").path("id").asText()).isEqualTo(org.id());
    }

    @Test
    void theSchemeNameIsCaseInsensitive() {
        Org org = fixtures.organization();
        ClientCredential credential = credential(org);
        String path = "/v1beta1/organizations/" + org.id();

        Reply lowerBasic = SERVER.anonymous()
                .withAuthorization("basic " + base64(credential.clientId() + ":" + credential.secret())).get(path);
        Reply upperBasic = SERVER.anonymous()
                .withAuthorization("BASIC " + base64(credential.clientId() + ":" + credential.secret())).get(path);
        Reply upperBearer = SERVER.anonymous().withAuthorization("BEARER " + credential.secret()).get(path);
        Reply lowerBearer = SERVER.anonymous().withAuthorization("bearer " + credential.secret()).get(path);

        assertThat(lowerBasic.status()).as(lowerBasic.toString()).isEqualTo(200);
        assertThat(upperBasic.status()).as(upperBasic.toString()).isEqualTo(200);
        assertThat(upperBearer.status()).as(upperBearer.toString()).isEqualTo(200);
        assertThat(lowerBearer.status()).as(lowerBearer.toString()).isEqualTo(200);
    }

    @Test
    void aCredentialSecretIsShownOnlyInTheReplyThatCreatesItAndStoredOnlyAsItsHash() throws Exception {
        Org org = fixtures.organization();
        TallyClient admin = SERVER.admin();
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers", "{\"body\":{\"title\":\"robot\"}}");
        String userId = user.body().path("serviceuser").path("id").asText();
        String secretsPath = "/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId + "/secrets";
        Reply created = admin.post(secretsPath, "{\"title\":\"key\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String clientId = created.body().path("secret").path("id").asText();
        String secret = created.body().path("secret").path("secret").asText();
        Reply another = admin.post(secretsPath, "{\"title\":\"key\"}");

        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        assertThat(another.body().path("secret").path("secret").asText()).isNotBlank().isNotEqualTo(secret);
        assertThat(another.body().path("secret").path("id").asText()).isNotEqualTo(clientId);
        Reply loggedIn = SERVER.anonymous().withAuthorization("Bearer " + secret).get("/v1beta1/organizations/" + org.id());
        assertThat(loggedIn.status()).as(loggedIn.toString()).isEqualTo(200);
        // The reads that show the organization and its accounts never carry the secret.
        for (Reply read : new Reply[] {loggedIn, admin.get("/v1beta1/organizations/" + org.id()),
                admin.get("/v1beta1/admin/organizations"), admin.get("/v1beta1/organizations/" + org.id() + "/projects")}) {
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.rawBody()).doesNotContain(secret);
        }
        Reply listSecrets = admin.get(secretsPath);
        Reply getSecret = admin.get(secretsPath + "/" + clientId);
        Reply getUser = admin.get("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId);
        // Listing credentials and reading the user (DESIGN §15) answer, without the secret; no route reads one credential.
        assertThat(listSecrets.status()).as(listSecrets.toString()).isEqualTo(200);
        assertThat(listSecrets.body().path("secrets")).hasSize(2)
                .allSatisfy(credential -> assertThat(credential.path("secret").asText()).isEmpty());
        assertThat(getUser.status()).as(getUser.toString()).isEqualTo(200);
        assertThat(getSecret.status()).as(getSecret.toString()).isNotEqualTo(200);
        for (Reply reply : new Reply[] {listSecrets, getSecret, getUser}) {
            assertThat(reply.rawBody()).doesNotContain(secret);
        }
        Map<String, String> stored = SERVER.tableRows("service_user_credentials").get(clientId);
        assertThat(stored.get("secret_sha256")).isEqualTo(sha256Hex(secret));
        assertNoTableHolds(secret);
    }

    @Test
    void aCredentialAskedForWithAnIdempotencyKeyIsRefusedSoItsSecretIsNeverStoredForReplay() throws Exception {
        // A replayed answer is the stored answer: keeping it would keep the secret in plain text.
        Org org = fixtures.organization();
        TallyClient admin = SERVER.admin();
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers", "{\"body\":{\"title\":\"robot\"}}");
        String secretsPath = "/v1beta1/organizations/" + org.id() + "/serviceusers/"
                + user.body().path("serviceuser").path("id").asText() + "/secrets";
        long credentialsBefore = SERVER.rowCount("service_user_credentials");
        long keysBefore = SERVER.rowCount("idempotency_keys");

        Reply withKey = admin.withHeader("Idempotency-Key", UUID.randomUUID().toString())
                .post(secretsPath, "{\"title\":\"key\"}");

        assertThat(assertError(withKey, 400, 3)).contains("Idempotency-Key");
        assertThat(SERVER.rowCount("service_user_credentials")).isEqualTo(credentialsBefore);
        assertThat(SERVER.rowCount("idempotency_keys")).isEqualTo(keysBefore);
    }

    /** No column of any row of any table holds {@code text}. */
    private static void assertNoTableHolds(String text) {
        for (String table : SERVER.schemaTables()) {
            SERVER.tableRows(table).forEach((key, row) -> assertThat(row.values())
                    .as(table + " row " + key).noneMatch(value -> value != null && value.contains(text)));
        }
    }

    /** SHA-256 in hex, computed here rather than by the code under test. */
    private static String sha256Hex(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pingAndReadyNeedNoCredentials() {
        Reply ping = SERVER.anonymous().get("/ping");
        Reply ready = SERVER.anonymous().get("/ready");

        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    }

    @Test
    void pingAndReadyIgnoreAWrongAuthorization() {
        TallyClient wrong = SERVER.anonymous().withAuthorization("Bearer not-a-secret");

        Reply ping = wrong.get("/ping");
        Reply ready = wrong.get("/ready");

        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    }

    /** A new service user of {@code org} and one credential of it, made by the admin. */
    static ClientCredential credential(Org org) {
        TallyClient admin = SERVER.admin();
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"robot\"}}");
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        String userId = user.body().path("serviceuser").path("id").asText();
        Reply secret = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId + "/secrets",
                "{\"title\":\"key\"}");
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        return new ClientCredential(secret.body().path("secret").path("id").asText(),
                secret.body().path("secret").path("secret").asText());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    record ClientCredential(String clientId, String secret) {}
}
