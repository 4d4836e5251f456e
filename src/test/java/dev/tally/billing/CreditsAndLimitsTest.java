package dev.tally.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** AddBillingCredits, UpdateBillingAccountLimits, GetBillingAccountDetails and CheckCreditEntitlement. */
class CreditsAndLimitsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void grantAddsCreditsAndAnswersItsTransaction() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String grantId = UUID.randomUUID().toString();

        Reply reply = grant(SERVER.admin(), org, account, grantId, "250");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode transaction = reply.body().path("transaction");
        assertThat(transaction.path("id").asText()).isEqualTo(grantId);
        assertThat(transaction.path("customer_id").asText()).isEqualTo(account);
        assertThat(transaction.path("type").asText()).isEqualTo("credit");
        assertThat(transaction.path("amount").isTextual()).as(reply.toString()).isTrue();
        assertThat(transaction.path("amount").asText()).isEqualTo("250");
        assertThat(transaction.path("source").asText()).isEqualTo("promo.signup");
        assertThat(transaction.path("description").asText()).isEqualTo("welcome credits");
        assertThat(transaction.path("user_id").asText()).isEqualTo("ops-1");
        assertThat(transaction.path("metadata")).isEqualTo(MAPPER.readTree("{\"campaign\":\"spring\"}"));
        assertThat(transaction.path("created_at").asText()).isNotEmpty();
        assertThat(fixtures.balance(org, account)).isEqualTo(250);
        assertThat(SERVER.entryCount(account)).isEqualTo(1);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    @Test
    void grantSentAgainWithTheSameIdAndAmountIsAppliedOnce() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String grantId = UUID.randomUUID().toString();
        Reply first = grant(SERVER.admin(), org, account, grantId, "250");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Reply again = grant(SERVER.admin(), org, account, grantId, "250");

        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().path("transaction")).isEqualTo(first.body().path("transaction"));
        assertThat(fixtures.balance(org, account)).isEqualTo(250);
        assertThat(SERVER.entryCount(account)).isEqualTo(1);
    }

    @Test
    void grantSentAgainWithTheSameIdAndAnotherAmountIsAConflict() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String grantId = UUID.randomUUID().toString();
        assertThat(grant(SERVER.admin(), org, account, grantId, "250").status()).isEqualTo(200);
        Snapshot before = snapshot(account);

        Reply reply = grant(SERVER.admin(), org, account, grantId, "251");

        assertError(reply, 409, 6);
        assertUnchanged(account, before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-250"})
    void grantOfZeroOrNegativeAmountIsRejected(String amount) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10);
        Snapshot before = snapshot(account);

        Reply reply = grant(SERVER.admin(), org, account, UUID.randomUUID().toString(), amount);

        assertError(reply, 400, 3);
        assertUnchanged(account, before);
    }

    @Test
    void grantThatWouldTakeTheBalancePastTheLargestInt64IsRejected() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        assertThat(grant(SERVER.admin(), org, account, UUID.randomUUID().toString(),
                Long.toString(Long.MAX_VALUE - 5)).status()).isEqualTo(200);
        Snapshot before = snapshot(account);

        Reply reply = grant(SERVER.admin(), org, account, UUID.randomUUID().toString(), "6");

        assertError(reply, 400, 3);
        assertUnchanged(account, before);
        assertThat(fixtures.balance(org, account)).isEqualTo(Long.MAX_VALUE - 5);
    }

    @Test
    void serviceUserIsForbiddenToGrantOrChangeLimits() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        TallyClient robot = fixtures.serviceUser(org);
        Snapshot before = snapshot(account);

        assertError(grant(robot, org, account, UUID.randomUUID().toString(), "100"), 403, 7);
        assertError(robot.put(adminPath(org, account) + "/limits", "{\"credit_min\":\"-1000\"}"), 403, 7);
        assertError(robot.get(adminPath(org, account) + "/details"), 403, 7);

        assertUnchanged(account, before);
        assertThat(details(org, account).path("credit_min").asText()).isEqualTo("0");
    }

    @Test
    void limitsUpdateIsShownInTheAccountDetails() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        assertThat(details(org, account)).isEqualTo(MAPPER.createObjectNode()
                .put("credit_min", "0").put("due_in_days", "0"));

        Reply update = SERVER.admin().put(adminPath(org, account) + "/limits", "{\"credit_min\":\"-500\"}");

        assertThat(update.status()).as(update.toString()).isEqualTo(200);
        assertThat(update.rawBody()).isEqualTo("{}");
        assertThat(details(org, account)).isEqualTo(MAPPER.createObjectNode()
                .put("credit_min", "-500").put("due_in_days", "0"));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -50, 20})
    void creditCheckAllowsExactlyTheBalanceAboveCreditMin(long creditMin) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        Reply update = SERVER.admin().put(adminPath(org, account) + "/limits",
                "{\"credit_min\":\"" + creditMin + "\"}");
        assertThat(update.status()).as(update.toString()).isEqualTo(200);
        long available = 100 - creditMin;

        assertThat(checkCredit(SERVER.admin(), org, available)).isTrue();
        assertThat(checkCredit(SERVER.admin(), org, available + 1)).isFalse();
        assertThat(checkCredit(fixtures.serviceUser(org), org, available)).isTrue();
        assertThat(SERVER.storedBalance(account)).isEqualTo(100);
    }

    @Test
    void creditCheckUsesTheOldestActiveAccount() {
        Org org = fixtures.organization();
        String oldest = fixtures.account(org);
        fixtures.grant(org, oldest, 500);
        String younger = fixtures.account(org);
        fixtures.grant(org, younger, 50);
        assertThat(checkCredit(SERVER.admin(), org, 500)).isTrue();

        Reply disable = SERVER.admin().post(Fixtures.accountPath(org, oldest) + "/disable", "{}");
        assertThat(disable.status()).as(disable.toString()).isEqualTo(200);

        assertThat(checkCredit(SERVER.admin(), org, 50)).isTrue();
        assertThat(checkCredit(SERVER.admin(), org, 51)).isFalse();
    }

    @Test
    void creditCheckOfAnOrganizationWhoseOnlyAccountIsDisabledIsNotFound() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        Reply disable = SERVER.admin().post(Fixtures.accountPath(org, account) + "/disable", "{}");
        assertThat(disable.status()).as(disable.toString()).isEqualTo(200);

        Reply reply = SERVER.admin().post("/v1beta1/billing/check",
                "{\"org_id\":\"" + org.id() + "\",\"amount\":\"1\"}");

        assertError(reply, 404, 5);
    }

    private static Reply grant(TallyClient client, Org org, String account, String id, String amount) {
        return client.post(adminPath(org, account) + "/credits", "{\"id\":\"" + id + "\",\"amount\":\"" + amount
                + "\",\"source\":\"promo.signup\",\"description\":\"welcome credits\",\"user_id\":\"ops-1\","
                + "\"metadata\":{\"campaign\":\"spring\"}}");
    }

    private static JsonNode details(Org org, String account) {
        Reply reply = SERVER.admin().get(adminPath(org, account) + "/details");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    private static boolean checkCredit(TallyClient client, Org org, long amount) {
        Reply reply = client.post("/v1beta1/billing/check", "{\"org_id\":\"" + org.id() + "\",\"amount\":\""
                + amount + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("status").isBoolean()).as(reply.toString()).isTrue();
        return reply.body().path("status").asBoolean();
    }

    private static String adminPath(Org org, String account) {
        return "/v1beta1/admin/organizations/" + org.id() + "/billing/" + account;
    }

    private record Snapshot(long storedBalance, long entryCount) {}

    private static Snapshot snapshot(String account) {
        return new Snapshot(SERVER.storedBalance(account), SERVER.entryCount(account));
    }

    private static void assertUnchanged(String account, Snapshot before) {
        assertThat(snapshot(account)).isEqualTo(before);
        assertThat(SERVER.ledgerSum(account)).isEqualTo(before.storedBalance());
    }
}
