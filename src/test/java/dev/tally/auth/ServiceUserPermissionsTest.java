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

/** DESIGN §7: what a service user may do within its own organization, and what only an admin may do. */
class ServiceUserPermissionsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aServiceUserListsAndReadsItsOrganizationsBillingAccounts() {
        Scene scene = scene();

        Reply list = scene.robot().get("/v1beta1/organizations/" + scene.org().id() + "/billing");
        Reply get = scene.robot().get(scene.accountPath());

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body().path("billing_accounts").findValuesAsText("id")).containsExactly(scene.account());
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.body().path("billing_account").path("id").asText()).isEqualTo(scene.account());
    }

    @Test
    void aServiceUserReadsBalanceTransactionsAndDebitedTotal() {
        Scene scene = scene();

        Reply balance = scene.robot().get(scene.accountPath() + "/balance");
        Reply transactions = scene.robot().get(scene.accountPath() + "/transactions");
        Reply orgTransactions = scene.robot().get("/v1beta1/organizations/" + scene.org().id() + "/billing/transactions");
        Reply debited = scene.robot().get(scene.accountPath() + "/debited_transactions_total");

        assertThat(balance.status()).as(balance.toString()).isEqualTo(200);
        assertThat(balance.body().path("balance").path("amount").asText()).isEqualTo("90");
        assertThat(transactions.status()).as(transactions.toString()).isEqualTo(200);
        assertThat(transactions.body().path("transactions").size()).isEqualTo(2);
        assertThat(orgTransactions.status()).as(orgTransactions.toString()).isEqualTo(200);
        assertThat(orgTransactions.body().path("transactions").size()).isEqualTo(2);
        assertThat(debited.status()).as(debited.toString()).isEqualTo(200);
        assertThat(debited.body().path("debited").path("amount").asText()).isEqualTo("10");
    }

    @Test
    void aServiceUserReportsUsageInItsOrganization() {
        Scene scene = scene();

        Reply onAccountPath = fixtures.reportUsage(scene.robot(), scene.org(), scene.account(),
                UUID.randomUUID().toString(), 5);
        Reply onOrgPath = scene.robot().post("/v1beta1/organizations/billing/usages",
                "{\"org_id\":\"" + scene.org().id() + "\",\"usages\":[{\"id\":\"" + UUID.randomUUID()
                        + "\",\"amount\":\"7\",\"source\":\"api\"}]}");

        assertThat(onAccountPath.status()).as(onAccountPath.toString()).isEqualTo(200);
        assertThat(onOrgPath.status()).as(onOrgPath.toString()).isEqualTo(200);
        assertThat(fixtures.balance(scene.org(), scene.account())).isEqualTo(78);
        assertThat(SERVER.storedBalance(scene.account())).isEqualTo(SERVER.ledgerSum(scene.account()));
    }

    @Test
    void aServiceUserChecksCreditsOfItsOrganization() {
        Scene scene = scene();

        Reply enough = scene.robot().post("/v1beta1/billing/check",
                "{\"org_id\":\"" + scene.org().id() + "\",\"amount\":\"90\"}");
        Reply tooMuch = scene.robot().post("/v1beta1/billing/check",
                "{\"org_id\":\"" + scene.org().id() + "\",\"amount\":\"91\"}");

        assertThat(enough.status()).as(enough.toString()).isEqualTo(200);
        assertThat(enough.body().path("status").asBoolean()).isTrue();
        assertThat(tooMuch.status()).as(tooMuch.toString()).isEqualTo(200);
        assertThat(tooMuch.body().path("status").asBoolean()).isFalse();
    }

    @Test
    void aServiceUserReadsItsOrganizationAndCreatesAndReadsItsProjects() {
        Scene scene = scene();
        String projectName = "proj-" + UUID.randomUUID().toString().substring(0, 8);

        Reply org = scene.robot().get("/v1beta1/organizations/" + scene.org().id());
        Reply orgByName = scene.robot().get("/v1beta1/organizations/" + scene.org().name());
        Reply created = scene.robot().post("/v1beta1/projects",
                "{\"body\":{\"name\":\"" + projectName + "\",\"title\":\"P\",\"org_id\":\"" + scene.org().id() + "\"}}");
        String projectId = created.body().path("project").path("id").asText();
        Reply project = scene.robot().get("/v1beta1/projects/" + projectId);
        Reply projects = scene.robot().get("/v1beta1/organizations/" + scene.org().id() + "/projects");

        assertThat(org.status()).as(org.toString()).isEqualTo(200);
        assertThat(orgByName.status()).as(orgByName.toString()).isEqualTo(200);
        assertThat(orgByName.body().path("organization").path("id").asText()).isEqualTo(scene.org().id());
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.body().path("project").path("org_id").asText()).isEqualTo(scene.org().id());
        assertThat(project.status()).as(project.toString()).isEqualTo(200);
        assertThat(projects.status()).as(projects.toString()).isEqualTo(200);
        assertThat(projects.body().path("projects").findValuesAsText("id")).containsExactly(projectId);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(AdminOnly.class)
    void aServiceUserIsDeniedWhatOnlyAnAdminMayDoAndNothingChanges(AdminOnly operation) {
        Scene scene = scene();
        Call call = operation.call.apply(scene);

        Reply reply = scene.robot().send(call.method(), call.path(), call.body());

        assertError(reply, 403, 7);
        assertUnchanged(scene);
    }

    @Test
    void aServiceUserCannotEnableAnAccountTheAdminDisabled() {
        Scene scene = scene();
        Reply disabled = SERVER.admin().post(scene.accountPath() + "/disable", "{}");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);

        Reply reply = scene.robot().post(scene.accountPath() + "/enable", "{}");

        assertError(reply, 403, 7);
        Reply account = SERVER.admin().get(scene.accountPath());
        assertThat(account.body().path("billing_account").path("state").asText()).isEqualTo("disabled");
    }

    private void assertUnchanged(Scene scene) {
        TallyClient admin = SERVER.admin();
        assertThat(fixtures.balance(scene.org(), scene.account())).isEqualTo(90);
        assertThat(SERVER.entryCount(scene.account())).isEqualTo(2);
        Reply account = admin.get(scene.accountPath());
        assertThat(account.body().path("billing_account").path("state").asText()).as(account.toString())
                .isEqualTo("active");
        Reply details = admin.get(scene.adminAccountPath() + "/details");
        assertThat(details.body().path("credit_min").asText()).as(details.toString()).isEqualTo("0");
        Reply accounts = admin.get("/v1beta1/organizations/" + scene.org().id() + "/billing");
        assertThat(accounts.body().path("billing_accounts").size()).as(accounts.toString()).isEqualTo(1);
        Reply newOrg = admin.get("/v1beta1/organizations/" + scene.newOrgName());
        assertThat(newOrg.status()).as(newOrg.toString()).isEqualTo(404);
    }

    /** An organization with an account holding 100 credits, one usage of 10 by the admin, and a service user. */
    private Scene scene() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String usageId = UUID.randomUUID().toString();
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, usageId, 10);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        Reply user = SERVER.admin().post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"other robot\"}}");
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        return new Scene(org, account, usageId, user.body().path("serviceuser").path("id").asText(),
                "denied-" + UUID.randomUUID().toString().substring(0, 8), fixtures.serviceUser(org));
    }

    record Scene(Org org, String account, String usageId, String serviceUserId, String newOrgName,
                 TallyClient robot) {
        String accountPath() {
            return Fixtures.accountPath(org, account);
        }

        String adminAccountPath() {
            return accountPath().replace("/v1beta1/", "/v1beta1/admin/");
        }
    }

    record Call(String method, String path, String body) {}

    enum AdminOnly {
        LIST_ALL_ORGANIZATIONS(s -> new Call("GET", "/v1beta1/admin/organizations", null)),
        LIST_ALL_BILLING_ACCOUNTS(s -> new Call("GET", "/v1beta1/admin/billing/accounts", null)),
        LIST_ALL_BILLING_ACCOUNTS_OF_OWN_ORG(s -> new Call("GET",
                "/v1beta1/admin/billing/accounts?org_id=" + s.org().id(), null)),
        UPDATE_LIMITS(s -> new Call("PUT", s.adminAccountPath() + "/limits", "{\"credit_min\":\"-1000\"}")),
        GET_DETAILS(s -> new Call("GET", s.adminAccountPath() + "/details", null)),
        ADD_CREDITS(s -> new Call("POST", s.adminAccountPath() + "/credits",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1000\",\"source\":\"self\"}")),
        ADMIN_REVERT(s -> new Call("POST", s.adminAccountPath() + "/usage/" + s.usageId() + "/revert",
                "{\"amount\":\"10\"}")),
        PUBLIC_REVERT(s -> new Call("POST", "/v1beta1/organizations/billing/usages/revert",
                "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":\"" + s.usageId() + "\"}")),
        CREATE_ORGANIZATION(s -> new Call("POST", "/v1beta1/organizations",
                "{\"body\":{\"name\":\"" + s.newOrgName() + "\",\"title\":\"Mine\"}}")),
        CREATE_BILLING_ACCOUNT(s -> new Call("POST", "/v1beta1/organizations/" + s.org().id() + "/billing",
                "{\"body\":{\"name\":\"second\",\"email\":\"x@example.com\"}}")),
        CREATE_SERVICE_USER(s -> new Call("POST", "/v1beta1/organizations/" + s.org().id() + "/serviceusers",
                "{\"body\":{\"title\":\"escalated\"}}")),
        CREATE_CREDENTIAL(s -> new Call("POST", "/v1beta1/organizations/" + s.org().id() + "/serviceusers/"
                + s.serviceUserId() + "/secrets", "{\"title\":\"stolen\"}")),
        DISABLE_BILLING_ACCOUNT(s -> new Call("POST", s.accountPath() + "/disable", "{}")),
        ENABLE_BILLING_ACCOUNT(s -> new Call("POST", s.accountPath() + "/enable", "{}"));

        final Function<Scene, Call> call;

        AdminOnly(Function<Scene, Call> call) {
            this.call = call;
        }
    }
}
