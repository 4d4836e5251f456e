package dev.tally.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.tally.billing.UsageReportingTest.JSON;
import static dev.tally.billing.UsageReportingTest.assertOk;
import static dev.tally.billing.UsageReportingTest.usage;
import static dev.tally.billing.UsageReportingTest.usages;
import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §4, through the usage endpoints and the default account's transaction list. */
class AccountResolutionTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final String BODY_USAGES = "/v1beta1/organizations/billing/usages";

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void bothOrgAndProjectIsRejected() {
        Org org = fixtures.organization();
        String account = funded(org);
        String project = project(org);

        Reply inBody = admin.post(BODY_USAGES, request(org.id(), project, "", 1));
        assertThat(assertError(inBody, 400)).isEqualTo("both project_id and org_id cannot be provided");
        Reply withPath = admin.post(Fixtures.accountPath(org, account) + "/usages", request("", project, "", 1));
        assertThat(assertError(withPath, 400)).isEqualTo("both project_id and org_id cannot be provided");
        assertUntouched(org, account);
    }

    @Test
    void projectNamesItsOrganization() {
        Org org = fixtures.organization();
        String account = funded(org);
        String project = project(org);

        assertOk(admin.post(BODY_USAGES, request("", project, "", 10)));
        assertOk(admin.post(BODY_USAGES, request("", project, account, 5)));
        assertThat(fixtures.balance(org, account)).isEqualTo(85);
    }

    @Test
    void unknownProjectOrOrganizationIsNotFound() {
        Org org = fixtures.organization();
        String account = funded(org);

        assertError(admin.post(BODY_USAGES, request("", UUID.randomUUID().toString(), "", 1)), 404);
        assertError(admin.post(BODY_USAGES, request("", "no-such-project", "", 1)), 404);
        assertError(admin.post(BODY_USAGES, request(UUID.randomUUID().toString(), "", "", 1)), 404);
        assertError(admin.post(BODY_USAGES, request("no-such-org", "", account, 1)), 404);
        assertUntouched(org, account);
    }

    @Test
    void organizationIsFoundByIdAndByName() {
        Org org = fixtures.organization();
        String account = funded(org);

        assertOk(admin.post(BODY_USAGES, request(org.id(), "", "", 1)));
        assertOk(admin.post(BODY_USAGES, request(org.name(), "", account, 2)));
        assertOk(admin.post("/v1beta1/organizations/" + org.name() + "/billing/" + account + "/usages",
                request("", "", "", 3)));
        assertThat(fixtures.balance(org, account)).isEqualTo(94);
        assertThat(defaultTransactions(org.name())).hasSize(4);
        assertThat(defaultTransactions(org.id())).hasSize(4);
    }

    @Test
    void neitherOrgNorProjectNorBillingIdIsRejected() {
        Org org = fixtures.organization();
        String account = funded(org);

        assertError(admin.post(BODY_USAGES, request("", "", "", 1)), 400);
        assertUntouched(org, account);
    }

    @Test
    void billingIdAloneNamesItsAccount() {
        Org org = fixtures.organization();
        String account = funded(org);

        assertOk(admin.post(BODY_USAGES, request("", "", account, 4)));
        assertThat(fixtures.balance(org, account)).isEqualTo(96);
    }

    @Test
    void billingIdThatIsNotAUuidIsRejected() {
        Org org = fixtures.organization();
        String account = funded(org);

        assertError(admin.post(Fixtures.accountPath(org, "not-a-uuid") + "/usages", request("", "", "", 1)), 400);
        assertError(admin.post(BODY_USAGES, request(org.id(), "", "not-a-uuid", 1)), 400);
        assertError(admin.post(BODY_USAGES, request("", "", "1-2-3-4-5", 1)), 400);
        assertError(admin.get(Fixtures.accountPath(org, "not-a-uuid") + "/transactions"), 400);
        assertUntouched(org, account);
    }

    @Test
    void billingIdOfAnotherOrganizationsAccountIsNotFound() {
        Org org = fixtures.organization();
        String account = funded(org);
        Org other = fixtures.organization();
        String othersAccount = funded(other);

        assertError(admin.post(Fixtures.accountPath(org, othersAccount) + "/usages", request("", "", "", 1)), 404);
        assertError(admin.post(BODY_USAGES, request(org.id(), "", othersAccount, 1)), 404);
        assertError(admin.post(BODY_USAGES, request("", project(org), othersAccount, 1)), 404);
        assertError(admin.get(Fixtures.accountPath(org, othersAccount) + "/transactions"), 404);
        assertError(admin.post(BODY_USAGES, request(org.id(), "", UUID.randomUUID().toString(), 1)), 404);
        assertUntouched(org, account);
        assertUntouched(other, othersAccount);
    }

    @Test
    void defaultAccountIsTheOldestActiveOne() {
        Org org = fixtures.organization();
        String oldest = funded(org);
        SERVER.clock().advance(Duration.ofSeconds(1));
        String newer = funded(org);

        assertOk(admin.post(BODY_USAGES, request(org.id(), "", "", 10)));
        assertThat(fixtures.balance(org, oldest)).isEqualTo(90);
        assertThat(fixtures.balance(org, newer)).isEqualTo(100);

        disable(org, oldest);
        String usageId = UUID.randomUUID().toString();
        assertOk(admin.post(BODY_USAGES, usages(JSON.createObjectNode().put("org_id", org.id()), usage(usageId, 20))));
        assertThat(fixtures.balance(org, oldest)).isEqualTo(90);
        assertThat(fixtures.balance(org, newer)).isEqualTo(80);
        assertThat(defaultTransactions(org.id())).extracting(entry -> entry.path("id").asText()).contains(usageId);
        assertThat(defaultTransactions(org.id())).allSatisfy(
                entry -> assertThat(entry.path("customer_id").asText()).isEqualTo(newer));
    }

    @Test
    void organizationWithoutAnActiveAccountIsNotFound() {
        Org empty = fixtures.organization();
        assertError(admin.post(BODY_USAGES, request(empty.id(), "", "", 1)), 404);
        assertError(admin.post(BODY_USAGES, request("", project(empty), "", 1)), 404);
        assertError(admin.get("/v1beta1/organizations/" + empty.id() + "/billing/transactions"), 404);

        Org allDisabled = fixtures.organization();
        String account = funded(allDisabled);
        disable(allDisabled, account);
        assertError(admin.post(BODY_USAGES, request(allDisabled.id(), "", "", 1)), 404);
        assertError(admin.get("/v1beta1/organizations/" + allDisabled.id() + "/billing/transactions"), 404);
        assertUntouched(allDisabled, account);
    }

    @Test
    void serviceUserNamingAnotherOrganizationIsForbidden() {
        Org own = fixtures.organization();
        String ownAccount = funded(own);
        Org other = fixtures.organization();
        String othersAccount = funded(other);
        TallyClient robot = fixtures.serviceUser(own);

        assertOk(robot.post(BODY_USAGES, request(own.name(), "", "", 1)));
        assertError(robot.post(BODY_USAGES, request(other.id(), "", "", 1)), 403);
        assertError(robot.post(BODY_USAGES, request(other.name(), "", "", 1)), 403);
        assertError(robot.post(BODY_USAGES, request(other.name(), "", othersAccount, 1)), 403);
        assertError(robot.post(BODY_USAGES, request("", project(other), "", 1)), 403);
        assertError(robot.post(BODY_USAGES, request("", "", othersAccount, 1)), 403);
        assertError(robot.post(Fixtures.accountPath(other, othersAccount) + "/usages", request("", "", "", 1)), 403);
        assertError(robot.get("/v1beta1/organizations/" + other.name() + "/billing/transactions"), 403);
        assertError(robot.get(Fixtures.accountPath(other, othersAccount) + "/transactions"), 403);
        assertThat(fixtures.balance(own, ownAccount)).isEqualTo(99);
        assertUntouched(other, othersAccount);
    }

    /** A new active account holding 100 credits. */
    private String funded(Org org) {
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        return account;
    }

    private String project(Org org) {
        String name = "proj-" + UUID.randomUUID().toString().substring(0, 8);
        Reply reply = admin.post("/v1beta1/projects",
                "{\"body\":{\"name\":\"" + name + "\",\"org_id\":\"" + org.id() + "\"}}");
        assertOk(reply);
        return reply.body().path("project").path("id").asText();
    }

    private void disable(Org org, String account) {
        assertOk(admin.post(Fixtures.accountPath(org, account) + "/disable", "{}"));
    }

    /** The default account's transactions, the organization named by {@code org} (uuid or name). */
    private List<JsonNode> defaultTransactions(String org) {
        Reply reply = admin.get("/v1beta1/organizations/" + org + "/billing/transactions");
        assertOk(reply);
        List<JsonNode> entries = new ArrayList<>();
        reply.body().path("transactions").forEach(entries::add);
        return entries;
    }

    /** A usage request of one new usage; empty selector fields are left out. */
    private static String request(String orgId, String projectId, String billingId, long amount) {
        ObjectNode selector = JSON.createObjectNode();
        if (!orgId.isEmpty()) {
            selector.put("org_id", orgId);
        }
        if (!projectId.isEmpty()) {
            selector.put("project_id", projectId);
        }
        if (!billingId.isEmpty()) {
            selector.put("billing_id", billingId);
        }
        return usages(selector, usage(UUID.randomUUID().toString(), amount));
    }

    /** The account still holds only its grant of 100. */
    private void assertUntouched(Org org, String account) {
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertThat(SERVER.entryCount(account)).isEqualTo(1);
    }
}
