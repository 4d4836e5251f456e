package dev.tally.api;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §2: a body that is not valid JSON, or a field of the wrong type, is a 400 INVALID_ARGUMENT in the
 * one error shape, never a 500, never with internals in it, and nothing of the request is applied.
 */
class MalformedRequestsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    /** Stands for a fresh usage id in the bodies below. */
    private static final String USAGE_ID = "5b1f7e43-5a4e-4f0e-9d3c-8a1f0e2b7c11";

    private final Fixtures fixtures = new Fixtures(SERVER);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{",
            "not json",
            "{\"usages\":[}",
            "{'usages':[]}",
            "{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\",}]}",
            "{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":05}]}",
            "{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":NaN}]}"})
    void aBodyThatIsNotValidJsonIsInvalidArgumentAndNothingIsApplied(String body) {
        assertRejectedOnUsagePath(body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\"}]} trailing",
            "{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\"}]}{}",
            "{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\"}]}]"})
    void contentAfterTheJsonObjectMakesTheBodyInvalidAndNothingIsApplied(String body) {
        assertRejectedOnUsagePath(body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "\"amount\":\"abc\"",
            "\"amount\":{}",
            "\"amount\":true",
            "\"amount\":1.5",
            "\"amount\":\"99999999999999999999\"",
            "\"amount\":\"5\",\"metadata\":\"text\"",
            "\"amount\":\"5\",\"metadata\":[1]",
            "\"amount\":\"5\",\"source\":{}",
            "\"amount\":\"5\",\"metadata\":{\"k\":\"v\"},\"user_id\":{\"k\":\"v\"}"})
    void aUsageFieldOfTheWrongTypeIsInvalidArgumentAndNothingIsApplied(String fields) {
        assertRejectedOnUsagePath("{\"usages\":[{\"id\":\"" + USAGE_ID + "\"," + fields + "}]}");
    }

    /** Frontier's gateway (Go protojson) rejects these; a lenient parser must not take them as "5" or "12". */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "\"amount\":[5]",
            "\"amount\":\"5\",\"source\":[\"a\"]",
            "\"amount\":\"5\",\"source\":12",
            "\"amount\":\"5\",\"description\":true"})
    void aScalarOfAnotherTypeOrAOneElementArrayIsAWrongTypeAndNothingIsApplied(String fields) {
        assertRejectedOnUsagePath("{\"usages\":[{\"id\":\"" + USAGE_ID + "\"," + fields + "}]}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"usages\":5}",
            "{\"usages\":\"x\"}",
            "{\"usages\":{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\"}}",
            "{\"usages\":[5]}",
            "{\"usages\":[\"" + USAGE_ID + "\"]}"})
    void aRequestFieldOfTheWrongTypeIsInvalidArgumentAndNothingIsApplied(String body) {
        assertRejectedOnUsagePath(body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "[{\"usages\":[]}]", "\"usages\"", "5", "null", "true"})
    void aWholeBodyThatIsNotAJsonObjectIsInvalidArgument(String body) {
        assertRejectedOnUsagePath(body);
        Reply org = SERVER.admin().post("/v1beta1/organizations", body);
        assertError(org, 400, 3);
    }

    @Test
    void duplicateJsonKeysAreInvalidArgument() {
        assertRejectedOnUsagePath("{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\"}],"
                + "\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"6\"}]}");
        assertRejectedOnUsagePath("{\"usages\":[{\"id\":\"" + USAGE_ID + "\",\"amount\":\"5\",\"amount\":\"6\"}]}");

        String name = ProtocolConventionsTest.uniqueName();
        Reply org = SERVER.admin().post("/v1beta1/organizations",
                "{\"body\":{\"name\":\"" + name + "\",\"name\":\"" + name + "-2\",\"title\":\"T\"}}");
        assertError(org, 400, 3);
        assertError(SERVER.admin().get("/v1beta1/organizations/" + name), 404, 5);
        Reply check = SERVER.admin().post("/v1beta1/billing/check", "{\"org_id\":\"a\",\"org_id\":\"b\",\"amount\":1}");
        assertError(check, 400, 3);
    }

    @Test
    void anEmptyBodyOnAPostThatNeedsFieldsIsInvalidArgument() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String accountPath = Fixtures.accountPath(org, account);
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("create organization", "/v1beta1/organizations");
        paths.put("create project", "/v1beta1/projects");
        paths.put("check credit", "/v1beta1/billing/check");
        paths.put("revert", "/v1beta1/organizations/billing/usages/revert");
        paths.put("usage without account", "/v1beta1/organizations/billing/usages");
        paths.put("usage on account", accountPath + "/usages");
        paths.put("add credits", accountPath.replace("/v1beta1/", "/v1beta1/admin/") + "/credits");

        TallyClient admin = SERVER.admin();
        paths.forEach((label, path) -> {
            Reply emptyString = admin.post(path, "");
            Reply noBody = admin.send("POST", path, null);
            Reply emptyObject = admin.post(path, "{}");
            assertThat(emptyString.status()).as(label + ": " + emptyString).isEqualTo(400);
            assertThat(noBody.status()).as(label + ": " + noBody).isEqualTo(400);
            assertThat(emptyObject.status()).as(label + ": " + emptyObject).isEqualTo(400);
            assertError(emptyString, 400, 3);
            assertError(noBody, 400, 3);
            assertError(emptyObject, 400, 3);
        });
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertThat(SERVER.entryCount(account)).isEqualTo(1);
    }

    @Test
    void aWrongTypeInAnOrganizationOrProjectBodyIsInvalidArgument() {
        Org org = fixtures.organization();
        TallyClient admin = SERVER.admin();
        String name = ProtocolConventionsTest.uniqueName();

        assertError(admin.post("/v1beta1/organizations", "{\"body\":\"" + name + "\"}"), 400, 3);
        assertError(admin.post("/v1beta1/organizations", "{\"body\":[\"" + name + "\"]}"), 400, 3);
        assertError(admin.post("/v1beta1/organizations", "{\"body\":{\"name\":{\"x\":1}}}"), 400, 3);
        assertError(admin.post("/v1beta1/organizations",
                "{\"body\":{\"name\":\"" + name + "\",\"metadata\":\"m\"}}"), 400, 3);
        assertError(admin.post("/v1beta1/projects",
                "{\"body\":{\"name\":\"" + name + "\",\"org_id\":{\"id\":\"" + org.id() + "\"}}}"), 400, 3);
        assertError(admin.get("/v1beta1/organizations/" + name), 404, 5);
        assertNoProjects(org);
    }

    @Test
    void aProjectOrgIdGivenAsAOneElementArrayIsAWrongTypeAndNoProjectIsCreated() {
        Org org = fixtures.organization();
        String name = ProtocolConventionsTest.uniqueName();

        Reply reply = SERVER.admin().post("/v1beta1/projects",
                "{\"body\":{\"name\":\"" + name + "\",\"org_id\":[\"" + org.id() + "\"]}}");

        assertError(reply, 400, 3);
        assertNoProjects(org);
    }

    @Test
    void anOrganizationTitleGivenAsANumberIsAWrongType() {
        String name = ProtocolConventionsTest.uniqueName();

        Reply reply = SERVER.admin().post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + name + "\",\"title\":42}}");

        assertError(reply, 400, 3);
        assertError(SERVER.admin().get("/v1beta1/organizations/" + name), 404, 5);
    }

    /** PostgreSQL cannot store U+0000 in text; H2 can. Either answer is fine, a 500 is not. */
    @Test
    void aNulCharacterInATitleIsAcceptedOrInvalidArgumentButNeverAServerError() {
        Org org = fixtures.organization();
        TallyClient admin = SERVER.admin();
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers", "{\"body\":{\"title\":\"r\"}}");
        String userId = user.body().path("serviceuser").path("id").asText();
        String nul = "a\\u0000b";

        Map<String, Reply> replies = new LinkedHashMap<>();
        replies.put("organization title", admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\""
                + ProtocolConventionsTest.uniqueName() + "\",\"title\":\"" + nul + "\"}}"));
        replies.put("project title", admin.post("/v1beta1/projects", "{\"body\":{\"name\":\""
                + ProtocolConventionsTest.uniqueName() + "\",\"title\":\"" + nul + "\",\"org_id\":\"" + org.id() + "\"}}"));
        replies.put("service user title", admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"" + nul + "\"}}"));
        replies.put("credential title", admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId
                + "/secrets", "{\"title\":\"" + nul + "\"}"));

        replies.forEach((label, reply) -> {
            assertThat(reply.status()).as(label + ": " + reply).isIn(200, 400);
            if (reply.status() == 400) {
                assertError(reply, 400, 3);
            }
        });
    }

    @Test
    void aTimestampQueryParameterThatIsNotRfc3339IsInvalidArgument() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String transactions = Fixtures.accountPath(org, account) + "/transactions";

        assertError(SERVER.admin().get(transactions + "?start_range=yesterday"), 400, 3);
        assertError(SERVER.admin().get(transactions + "?since=12345"), 400, 3);
        assertError(SERVER.admin().get(transactions + "?end_range=2026-01-01"), 400, 3);
    }

    @Test
    void aTimestampQueryParameterWithAnImpossibleDateIsInvalidArgument() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String transactions = Fixtures.accountPath(org, account) + "/transactions";

        assertError(SERVER.admin().get(transactions + "?end_range=2026-13-45T99:00:00Z"), 400, 3);
        assertError(SERVER.admin().get(transactions + "?start_range=2026-02-30T00:00:00Z"), 400, 3);
    }

    private static void assertNoProjects(Org org) {
        Reply projects = SERVER.admin().get("/v1beta1/organizations/" + org.id() + "/projects");
        assertThat(projects.body().path("projects").size()).as(projects.toString()).isZero();
    }

    /** Sends the body as a usage report to a fresh funded account and checks it was rejected whole. */
    private void assertRejectedOnUsagePath(String body) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);

        // Each case gets its own usage id, so that a case the server wrongly accepted cannot turn the next into a 409.
        Reply reply = SERVER.admin().post(Fixtures.accountPath(org, account) + "/usages",
                body.replace(USAGE_ID, UUID.randomUUID().toString()));

        assertError(reply, 400, 3);
        assertThat(fixtures.balance(org, account)).as(body).isEqualTo(100);
        assertThat(SERVER.entryCount(account)).as(body).isEqualTo(1);
    }
}
