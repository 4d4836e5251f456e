package dev.tally.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Enable/Disable, GetBillingBalance, ListBillingAccounts and ListAllBillingAccounts. */
class BillingAccountReadsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void disablingAndEnablingAnAccountShowsInItsState() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        assertThat(state(org, account)).isEqualTo("active");

        Reply disable = SERVER.admin().post(Fixtures.accountPath(org, account) + "/disable", "{}");
        assertThat(disable.status()).as(disable.toString()).isEqualTo(200);
        assertThat(disable.rawBody()).isEqualTo("{}");
        assertThat(state(org, account)).isEqualTo("disabled");

        Reply enable = SERVER.admin().post(Fixtures.accountPath(org, account) + "/enable", "{}");
        assertThat(enable.status()).as(enable.toString()).isEqualTo(200);
        assertThat(enable.rawBody()).isEqualTo("{}");
        assertThat(state(org, account)).isEqualTo("active");
    }

    @Test
    void serviceUserIsForbiddenToDisableAnAccount() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);

        Reply reply = fixtures.serviceUser(org).post(Fixtures.accountPath(org, account) + "/disable", "{}");

        assertError(reply, 403, 7);
        assertThat(state(org, account)).isEqualTo("active");
    }

    @Test
    void balanceHasAmountAsStringCurrencyAndTheTimeOfTheLastChange() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, UUID.randomUUID().toString(), 30);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);

        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "/balance");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        // DESIGN §12 adds held and available (balance minus live holds) beside Frontier's balance.
        assertThat(reply.body().properties()).extracting(Map.Entry::getKey)
                .containsExactly("balance", "held", "available");
        assertThat(reply.body().path("held").asText()).isEqualTo("0");
        assertThat(reply.body().path("available").asText()).isEqualTo("70");
        JsonNode balance = reply.body().path("balance");
        assertThat(balance.properties()).as(reply.toString()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("amount", "currency", "updated_at");
        assertThat(balance.path("amount").isTextual()).as(reply.toString()).isTrue();
        assertThat(balance.path("amount").asText()).isEqualTo("70");
        assertThat(balance.path("currency").asText()).isEqualTo("VC");
        String newestEntryTime = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions").body()
                .path("transactions").path(0).path("created_at").asText();
        assertThat(Instant.parse(balance.path("updated_at").asText())).isEqualTo(Instant.parse(newestEntryTime));
    }

    @Test
    void serviceUserReadsTheBalanceOfItsOwnOrganizationOnly() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 40);
        Org otherOrg = fixtures.organization();
        String otherAccount = fixtures.account(otherOrg);
        TallyClient robot = fixtures.serviceUser(org);

        Reply own = robot.get(Fixtures.accountPath(org, account) + "/balance");
        Reply other = robot.get(Fixtures.accountPath(otherOrg, otherAccount) + "/balance");

        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.body().path("balance").path("amount").asText()).isEqualTo("40");
        assertError(other, 403, 7);
    }

    @Test
    void listBillingAccountsShowsTheOrganizationsAccountsOnly() {
        Org org = fixtures.organization();
        String first = fixtures.account(org);
        String second = fixtures.account(org);
        Org otherOrg = fixtures.organization();
        fixtures.account(otherOrg);

        Reply reply = SERVER.admin().get("/v1beta1/organizations/" + org.id() + "/billing");
        Reply byServiceUser = fixtures.serviceUser(org).get("/v1beta1/organizations/" + org.id() + "/billing");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(ids(reply)).containsExactlyInAnyOrder(first, second);
        assertThat(reply.body().path("billing_accounts").path(0).path("org_id").asText()).isEqualTo(org.id());
        assertThat(byServiceUser.status()).as(byServiceUser.toString()).isEqualTo(200);
        assertThat(ids(byServiceUser)).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void listAllBillingAccountsFiltersByOrganization() {
        Org org = fixtures.organization();
        String first = fixtures.account(org);
        String second = fixtures.account(org);
        Org otherOrg = fixtures.organization();
        String other = fixtures.account(otherOrg);

        Reply filtered = SERVER.admin().get("/v1beta1/admin/billing/accounts?org_id=" + org.id());
        Reply all = SERVER.admin().get("/v1beta1/admin/billing/accounts");

        assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
        assertThat(ids(filtered)).containsExactlyInAnyOrder(first, second);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(ids(all)).contains(first, second, other);
    }

    @Test
    void serviceUserIsForbiddenToListAllBillingAccounts() {
        Org org = fixtures.organization();
        fixtures.account(org);

        Reply reply = fixtures.serviceUser(org).get("/v1beta1/admin/billing/accounts?org_id=" + org.id());

        assertError(reply, 403, 7);
    }

    private static String state(Org org, String account) {
        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().path("billing_account").path("state").asText();
    }

    private static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.body().path("billing_accounts").forEach(account -> ids.add(account.path("id").asText()));
        return ids;
    }
}
