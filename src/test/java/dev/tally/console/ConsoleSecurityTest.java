package dev.tally.console;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tally.testing.Fixtures.accountPath;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's session, CSRF and read-only rules (DESIGN §16), over plain HTTP. */
class ConsoleSecurityTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private Fixtures fixtures;
    private Org org;
    private String accountId;

    @BeforeEach
    void setUp() {
        fixtures = new Fixtures(SERVER);
        org = fixtures.organization();
        accountId = fixtures.account(org);
        fixtures.grant(org, accountId, 1_000);
    }

    private ConsoleLogin admin() {
        return ConsoleLogin.signIn(SERVER.uri(), TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET);
    }

    private String adminPath() {
        return accountPath(org, accountId).replace("/v1beta1/", "/v1beta1/admin/");
    }

    private String grantBody() {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"50\",\"source\":\"console\"}";
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrictAndNotSecureOverPlainHttp() {
        String setCookie = admin().setCookie();

        assertThat(setCookie).startsWith(SessionCookie.NAME + "=").containsIgnoringCase("; HttpOnly")
                .contains("; SameSite=Strict").contains("; Path=/").doesNotContainIgnoringCase("Secure")
                .doesNotContainIgnoringCase("Max-Age").doesNotContainIgnoringCase("Expires");
    }

    @Test
    void aWrongSecretGetsNoSessionAndTheSameAnswerAsAnUnknownClient() {
        HttpResponse<String> wrongSecret = ConsoleLogin.signInResponse(SERVER.uri(), TallyServer.ADMIN_CLIENT_ID, "nope");
        HttpResponse<String> unknownClient = ConsoleLogin.signInResponse(SERVER.uri(), "nobody", "nope");

        for (HttpResponse<String> response : List.of(wrongSecret, unknownClient)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(ConsoleLogin.header(response, "set-cookie")).isEmpty();
            assertThat(ConsoleLogin.parse(response.body()).path("message").asText())
                    .isEqualTo("the client id or secret is wrong");
        }
    }

    @Test
    void signInRefusesAFormBodySoAnotherSitesFormCannotSignIn() {
        HttpResponse<String> response = ConsoleLogin.send(HttpRequest.newBuilder(SERVER.uri().resolve(Console.SESSION_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + TallyServer.ADMIN_CLIENT_ID
                        + "&client_secret=" + TallyServer.ADMIN_SECRET)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ConsoleLogin.header(response, "set-cookie")).isEmpty();
    }

    @Test
    void malformedSignInsAreClientErrorsAndOpenNoSession() {
        String[] bodies = {"not json", "null", "[]", "{}", "{\"client_id\":5,\"client_secret\":\"x\"}",
                "{\"client_id\":\"" + TallyServer.ADMIN_CLIENT_ID + "\"}",
                "{\"client_id\":\"a\\u0000b\",\"client_secret\":\"x\"}",
                "{\"client_id\":\"a:b\",\"client_secret\":\"x\"}",
                "{\"client_id\":\"" + "x".repeat(5_000) + "\",\"client_secret\":\"x\"}"};
        for (String body : bodies) {
            HttpResponse<String> response = ConsoleLogin.send(HttpRequest.newBuilder(SERVER.uri().resolve(Console.SESSION_PATH))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(response.statusCode()).as(body).isIn(400, 401);
            assertThat(ConsoleLogin.parse(response.body()).path("message").asText()).as(body).isNotBlank();
            assertThat(ConsoleLogin.header(response, "set-cookie")).as(body).isEmpty();
        }
    }

    @Test
    void aCookieThatNamesNoSessionIsAnAnonymousCall() {
        for (String value : new String[]{"garbage", "%00%ff", "x".repeat(4_000), admin().cookie().split("=", 2)[1] + "x"}) {
            Reply reply = SERVER.anonymous().withAuthorization(null).withHeader("Cookie", SessionCookie.NAME + "=" + value)
                    .withHeader(SessionGate.CSRF_HEADER, "anything").post(adminPath() + "/credits", grantBody());
            assertThat(reply.status()).as(value).isEqualTo(401);
        }
        assertThat(fixtures.balance(org, accountId)).isEqualTo(1_000);
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        ConsoleLogin admin = admin();
        TallyClient noToken = admin.withoutCsrf(SERVER.anonymous());
        TallyClient wrongToken = noToken.withHeader(SessionGate.CSRF_HEADER, "not-the-token");

        for (TallyClient client : new TallyClient[]{noToken, wrongToken}) {
            Reply grant = client.post(adminPath() + "/credits", grantBody());
            Reply limits = client.put(adminPath() + "/limits", "{\"credit_min\":\"-500\"}");
            Reply disable = client.post(accountPath(org, accountId) + "/disable", "{}");
            for (Reply reply : new Reply[]{grant, limits, disable}) {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
                assertThat(reply.body().path("message").asText()).contains("CSRF token");
            }
        }
        assertThat(fixtures.balance(org, accountId)).isEqualTo(1_000);
        assertThat(SERVER.admin().get(adminPath() + "/details").body().path("credit_min").asText()).isEqualTo("0");
        assertThat(SERVER.admin().get(accountPath(org, accountId)).body().path("billing_account").path("state")
                .asText()).isEqualTo("active");
    }

    @Test
    void aChangeWithTheCsrfTokenIsMadeAndRecordedAsTheSignedInAdmin() {
        Reply grant = admin().client(SERVER.anonymous()).post(adminPath() + "/credits", grantBody());

        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        assertThat(fixtures.balance(org, accountId)).isEqualTo(1_050);
        String adminServiceUser = admin().body().path("service_user_id").asText();
        assertThat(SERVER.entryCreatedBy(grant.body().path("transaction").path("id").asText()))
                .isEqualTo("serviceuser:" + adminServiceUser);
    }

    @Test
    void aServiceUsersSessionReadsItsOrganizationButCannotChangeAnything() {
        ConsoleLogin robot = ConsoleLogin.signIn(SERVER.uri(), ServiceUsers.credential(SERVER, org));
        TallyClient session = robot.client(SERVER.anonymous());
        long entriesBefore = SERVER.entryCount(accountId);

        assertThat(robot.body().path("platform_admin").asBoolean()).isFalse();
        assertThat(robot.body().path("org_id").asText()).isEqualTo(org.id());
        assertThat(session.get(accountPath(org, accountId) + "/balance").status()).isEqualTo(200);
        assertThat(session.get(accountPath(org, accountId) + "/transactions").status()).isEqualTo(200);
        // Reporting usage is something the API lets a service user do; the console does not.
        Reply usage = session.post(accountPath(org, accountId) + "/usages",
                "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"5\",\"source\":\"api\"}]}");
        Reply grant = session.post(adminPath() + "/credits", grantBody());
        Reply disable = session.post(accountPath(org, accountId) + "/disable", "{}");
        for (Reply reply : new Reply[]{usage, grant, disable}) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.body().path("message").asText()).isEqualTo("the console is read-only for a service user");
        }
        assertThat(SERVER.entryCount(accountId)).isEqualTo(entriesBefore);
        assertThat(fixtures.balance(org, accountId)).isEqualTo(1_000);
    }

    @Test
    void aServiceUsersSessionCannotSeeAnotherOrganization() {
        Org other = fixtures.organization();
        String otherAccount = fixtures.account(other);
        TallyClient session = ConsoleLogin.signIn(SERVER.uri(), ServiceUsers.credential(SERVER, org))
                .client(SERVER.anonymous());

        for (String path : new String[]{"/v1beta1/organizations/" + other.id(), accountPath(other, otherAccount),
                accountPath(other, otherAccount) + "/transactions", "/v1beta1/admin/organizations"}) {
            Reply reply = session.get(path);
            assertThat(reply.status()).as(path + " " + reply).isEqualTo(403);
        }
    }

    @Test
    void aSessionIdleForEightHoursIsGoneAndOneInUseStays() {
        ConsoleLogin used = admin();
        ConsoleLogin idle = admin();
        TallyClient usedClient = used.client(SERVER.anonymous());

        SERVER.clock().advance(Duration.ofHours(5));
        assertThat(usedClient.get(accountPath(org, accountId) + "/balance").status()).isEqualTo(200);
        SERVER.clock().advance(Duration.ofHours(4));

        assertThat(usedClient.get(accountPath(org, accountId) + "/balance").status()).isEqualTo(200);
        Reply expired = idle.client(SERVER.anonymous()).get(accountPath(org, accountId) + "/balance");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(idle.client(SERVER.anonymous()).get(Console.SESSION_PATH).status()).isEqualTo(401);
    }

    @Test
    void signingOutEndsTheSessionAndNeedsTheCsrfToken() {
        ConsoleLogin admin = admin();

        assertThat(admin.withoutCsrf(SERVER.anonymous()).send("DELETE", Console.SESSION_PATH, null).status())
                .isEqualTo(403);
        assertThat(admin.client(SERVER.anonymous()).send("DELETE", Console.SESSION_PATH, null).status())
                .isEqualTo(200);

        assertThat(admin.client(SERVER.anonymous()).get(accountPath(org, accountId) + "/balance").status())
                .isEqualTo(401);
    }

    @Test
    void everyConsoleFileCarriesAContentSecurityPolicyWithoutInlineScript() {
        for (String path : new String[]{"/console/", "/console/index.html", "/console/app.js", "/console/data.js",
                "/console/holds.js", "/console/grants.js", "/console/confirm.js", "/console/console.css", Console.SESSION_PATH}) {
            HttpResponse<String> response = ConsoleLogin.send(HttpRequest.newBuilder(SERVER.uri().resolve(path)).GET());
            String policy = ConsoleLogin.header(response, "content-security-policy").orElse("");
            assertThat(policy).as(path).contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(ConsoleLogin.header(response, "x-content-type-options")).as(path).contains("nosniff");
        }
    }

    @Test
    void thePageHasNoInlineScriptNorInlineHandler() {
        String page = ConsoleLogin.send(HttpRequest.newBuilder(SERVER.uri().resolve("/console/")).GET()).body();

        Matcher scripts = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).contains("src=");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(count).isPositive();
        assertThat(page).doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContain("javascript:");
    }
}
