package dev.tally.auth;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.UUID;
import java.util.function.Function;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §4.3 and §7: a service user of organization A reaches nothing of organization B (BOLA),
 * whichever way it names B or B's objects, and B is left exactly as it was.
 */
class CrossOrganizationAccessTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @ParameterizedTest(name = "{0}")
    @EnumSource(OtherOrganization.class)
    void aServiceUserOfOneOrganizationIsDeniedTheOtherAndNothingChangesThere(OtherOrganization operation) {
        Scene scene = scene();
        Call call = operation.call.apply(scene);

        Reply reply = scene.robotOfA().send(call.method(), call.path(), call.body());

        assertError(reply, 403, 7);
        assertBUnchanged(scene);
    }

    @Test
    void namingItsOwnOrganizationWithAnotherOrganizationsAccountFindsNothing() {
        Scene scene = scene();
        String mixedPath = "/v1beta1/organizations/" + scene.a().id() + "/billing/" + scene.accountOfB();

        Reply get = scene.robotOfA().get(mixedPath);
        Reply balance = scene.robotOfA().get(mixedPath + "/balance");
        Reply transactions = scene.robotOfA().get(mixedPath + "/transactions");
        Reply debited = scene.robotOfA().get(mixedPath + "/debited_transactions_total");
        Reply usage = fixtures.reportUsage(scene.robotOfA(), scene.a(), scene.accountOfB(),
                UUID.randomUUID().toString(), 5);
        Reply usageByBody = scene.robotOfA().post("/v1beta1/organizations/billing/usages",
                "{\"org_id\":\"" + scene.a().id() + "\",\"billing_id\":\"" + scene.accountOfB() + "\","
                        + "\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"5\"}]}");

        for (Reply reply : new Reply[] {get, balance, transactions, debited, usage, usageByBody}) {
            assertError(reply, 404, 5);
            assertThat(reply.rawBody()).as(reply.toString()).doesNotContain("\"balance\"", "\"transactions\"");
        }
        assertBUnchanged(scene);
    }

    @Test
    void anUnknownOrganizationAndAnotherOrganizationGetTheSameAnswer() {
        Scene scene = scene();

        Reply other = scene.robotOfA().get("/v1beta1/organizations/" + scene.b().id());
        Reply unknown = scene.robotOfA().get("/v1beta1/organizations/" + UUID.randomUUID());
        Reply unknownByName = scene.robotOfA().get("/v1beta1/organizations/no-such-org-here");

        String otherMessage = assertError(other, 403, 7);
        assertThat(assertError(unknown, 403, 7)).isEqualTo(otherMessage);
        assertThat(assertError(unknownByName, 403, 7)).isEqualTo(otherMessage);
    }

    private void assertBUnchanged(Scene scene) {
        TallyClient admin = SERVER.admin();
        assertThat(fixtures.balance(scene.b(), scene.accountOfB())).isEqualTo(90);
        assertThat(SERVER.entryCount(scene.accountOfB())).isEqualTo(2);
        assertThat(SERVER.storedBalance(scene.accountOfB())).isEqualTo(SERVER.ledgerSum(scene.accountOfB()));
        Reply projects = admin.get("/v1beta1/organizations/" + scene.b().id() + "/projects");
        assertThat(projects.body().path("projects").findValuesAsText("id")).as(projects.toString())
                .containsExactly(scene.projectOfB());
        Reply accounts = admin.get("/v1beta1/organizations/" + scene.b().id() + "/billing");
        assertThat(accounts.body().path("billing_accounts").size()).as(accounts.toString()).isEqualTo(1);
        Reply projectsOfA = admin.get("/v1beta1/organizations/" + scene.a().id() + "/projects");
        assertThat(projectsOfA.body().path("projects").size()).as(projectsOfA.toString()).isZero();
    }

    /**
     * Organization A with its service user; organization B with an account holding 100 credits, one usage
     * of 10 by the admin, and one project.
     */
    private Scene scene() {
        Org a = fixtures.organization();
        fixtures.account(a);
        Org b = fixtures.organization();
        String accountOfB = fixtures.account(b);
        fixtures.grant(b, accountOfB, 100);
        String usageId = UUID.randomUUID().toString();
        Reply usage = fixtures.reportUsage(SERVER.admin(), b, accountOfB, usageId, 10);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        Reply project = SERVER.admin().post("/v1beta1/projects", "{\"body\":{\"name\":\"p-"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"title\":\"B's\",\"org_id\":\"" + b.id() + "\"}}");
        assertThat(project.status()).as(project.toString()).isEqualTo(200);
        return new Scene(a, fixtures.serviceUser(a), b, accountOfB, usageId,
                project.body().path("project").path("id").asText());
    }

    record Scene(Org a, TallyClient robotOfA, Org b, String accountOfB, String usageIdOfB, String projectOfB) {
        String accountPathOfB() {
            return Fixtures.accountPath(b, accountOfB);
        }

        String usageBody(String selector) {
            return "{" + selector + ",\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"5\","
                    + "\"source\":\"api\"}]}";
        }
    }

    record Call(String method, String path, String body) {}

    enum OtherOrganization {
        GET_ORGANIZATION(s -> new Call("GET", "/v1beta1/organizations/" + s.b().id(), null)),
        GET_ORGANIZATION_BY_NAME(s -> new Call("GET", "/v1beta1/organizations/" + s.b().name(), null)),
        LIST_BILLING_ACCOUNTS(s -> new Call("GET", "/v1beta1/organizations/" + s.b().id() + "/billing", null)),
        LIST_BILLING_ACCOUNTS_BY_NAME(s -> new Call("GET", "/v1beta1/organizations/" + s.b().name() + "/billing", null)),
        GET_BILLING_ACCOUNT(s -> new Call("GET", s.accountPathOfB(), null)),
        GET_BALANCE(s -> new Call("GET", s.accountPathOfB() + "/balance", null)),
        LIST_ACCOUNT_TRANSACTIONS(s -> new Call("GET", s.accountPathOfB() + "/transactions", null)),
        LIST_ORGANIZATION_TRANSACTIONS(s -> new Call("GET",
                "/v1beta1/organizations/" + s.b().id() + "/billing/transactions", null)),
        GET_DEBITED_TOTAL(s -> new Call("GET", s.accountPathOfB() + "/debited_transactions_total", null)),
        REPORT_USAGE_ON_ACCOUNT_PATH(s -> new Call("POST", s.accountPathOfB() + "/usages", s.usageBody("\"x\":0"))),
        REPORT_USAGE_BY_ORG_ID(s -> new Call("POST", "/v1beta1/organizations/billing/usages",
                s.usageBody("\"org_id\":\"" + s.b().id() + "\""))),
        REPORT_USAGE_BY_ORG_NAME(s -> new Call("POST", "/v1beta1/organizations/billing/usages",
                s.usageBody("\"org_id\":\"" + s.b().name() + "\""))),
        REPORT_USAGE_BY_BILLING_ID_ONLY(s -> new Call("POST", "/v1beta1/organizations/billing/usages",
                s.usageBody("\"billing_id\":\"" + s.accountOfB() + "\""))),
        REPORT_USAGE_BY_PROJECT_ID(s -> new Call("POST", "/v1beta1/organizations/billing/usages",
                s.usageBody("\"project_id\":\"" + s.projectOfB() + "\""))),
        CHECK_CREDIT(s -> new Call("POST", "/v1beta1/billing/check",
                "{\"org_id\":\"" + s.b().id() + "\",\"amount\":\"1\"}")),
        CREATE_PROJECT(s -> new Call("POST", "/v1beta1/projects", "{\"body\":{\"name\":\"intruder-"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"title\":\"X\",\"org_id\":\"" + s.b().id() + "\"}}")),
        GET_PROJECT(s -> new Call("GET", "/v1beta1/projects/" + s.projectOfB(), null)),
        LIST_PROJECTS(s -> new Call("GET", "/v1beta1/organizations/" + s.b().id() + "/projects", null));

        final Function<Scene, Call> call;

        OtherOrganization(Function<Scene, Call> call) {
            this.call = call;
        }
    }
}
