package dev.tally.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** What an accepted revert does (DESIGN §6 rules 4, 6 and 7), on both revert routes. */
class RevertEffectTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void uuidV5HelperOfTheseTestsMatchesAKnownValue() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assertThat(RevertPath.uuidV5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"))
                .hasToString("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    }

    @ParameterizedTest
    @CsvSource({"ORGANIZATION, 0", "ORGANIZATION, ", "ADMIN, 0", "ADMIN, "})
    void zeroOrAbsentAmountRevertsTheWholeUsage(RevertPath path, Long amount) {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 100);
        String usageId = reportUsage(org, account, 30);

        Reply reply = path.revert(SERVER.admin(), org, account, usageId, amount);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.rawBody()).isEqualTo("{}");
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertThat(newestTransaction(org, account).path("amount").asText()).isEqualTo("30");
        assertLedgerConsistent(account);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void partialRevertGivesBackOnlyItsAmount(RevertPath path) {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 100);
        String usageId = reportUsage(org, account, 30);
        long entriesBefore = SERVER.entryCount(account);

        Reply reply = path.revert(SERVER.admin(), org, account, usageId, 12L);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.rawBody()).isEqualTo("{}");
        assertThat(fixtures.balance(org, account)).isEqualTo(82);
        assertThat(SERVER.entryCount(account)).isEqualTo(entriesBefore + 1);
        assertThat(newestTransaction(org, account).path("amount").asText()).isEqualTo("12");
        assertLedgerConsistent(account);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertEntryIsACreditDerivedFromTheUsage(RevertPath path) throws Exception {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 100);
        String usageId = UUID.randomUUID().toString();
        Reply usage = SERVER.admin().post(Fixtures.accountPath(org, account) + "/usages", "{\"usages\":[{\"id\":\""
                + usageId + "\",\"amount\":\"40\",\"source\":\"Compute.GPU\",\"description\":\"A100 hour\","
                + "\"user_id\":\"user-7\",\"metadata\":{\"region\":\"eu\",\"tags\":{\"team\":\"ml\"},\"ok\":true}}]}");
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);

        Reply reply = path.revert(SERVER.admin(), org, account, usageId, 25L);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode revert = newestTransaction(org, account);
        assertThat(revert.path("id").asText()).isEqualTo(RevertPath.expectedRevertId(usageId, account));
        assertThat(revert.path("customer_id").asText()).isEqualTo(account);
        assertThat(revert.path("type").asText()).isEqualTo("credit");
        assertThat(revert.path("amount").isTextual()).as(revert.toString()).isTrue();
        assertThat(revert.path("amount").asText()).isEqualTo("25");
        assertThat(revert.path("source").asText()).isEqualTo("system.revert.compute.gpu");
        assertThat(revert.path("description").asText()).isEqualTo("Revert: A100 hour");
        assertThat(revert.path("user_id").asText()).isEqualTo("user-7");
        assertThat(revert.path("metadata")).isEqualTo(MAPPER.readTree("{\"region\":\"eu\",\"tags\":{\"team\":\"ml\"},"
                + "\"ok\":true,\"revert_request_using\":\"" + usageId + "\"}"));
        assertThat(revert.path("created_at").asText()).isNotEmpty();
        assertThat(fixtures.balance(org, account)).isEqualTo(100 - 40 + 25);
        assertLedgerConsistent(account);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertWorksOnADisabledAccount(RevertPath path) {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 100);
        String usageId = reportUsage(org, account, 30);
        Reply disable = SERVER.admin().post(Fixtures.accountPath(org, account) + "/disable", "{}");
        assertThat(disable.status()).as(disable.toString()).isEqualTo(200);

        Reply reply = path.revert(SERVER.admin(), org, account, usageId, null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertLedgerConsistent(account);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void debitedTotalIsUsageMinusWhatWasReverted(RevertPath path) {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 1000);
        String first = reportUsage(org, account, 300);
        String second = reportUsage(org, account, 200);
        reportUsage(org, account, 50);
        assertThat(debitedTotal(org, account)).isEqualTo("550");

        assertThat(path.revert(SERVER.admin(), org, account, first, 120L).status()).isEqualTo(200);
        assertThat(path.revert(SERVER.admin(), org, account, second, null).status()).isEqualTo(200);

        assertThat(debitedTotal(org, account)).isEqualTo(Long.toString(550 - 120 - 200));
        assertThat(SERVER.admin().get(Fixtures.accountPath(org, account) + "/debited_transactions_total").body()
                .path("debited").path("currency").asText()).isEqualTo("VC");
        assertLedgerConsistent(account);
    }

    @Test
    void revertWithoutBillingIdUsesTheOrganizationsDefaultAccount() {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 100);
        String usageId = reportUsage(org, account, 30);
        fixtures.account(org); // a younger account is not the default one

        Reply reply = RevertPath.ORGANIZATION.revert(SERVER.admin(), org, null, usageId, null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertLedgerConsistent(account);
    }

    @Test
    void revertByProjectUsesTheProjectsOrganization() {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 100);
        String usageId = reportUsage(org, account, 30);
        Reply project = SERVER.admin().post("/v1beta1/projects", "{\"body\":{\"name\":\"p-" + UUID.randomUUID()
                + "\",\"title\":\"P\",\"org_id\":\"" + org.id() + "\"}}");
        assertThat(project.status()).as(project.toString()).isEqualTo(200);

        Reply reply = SERVER.admin().post("/v1beta1/organizations/billing/usages/revert", "{\"project_id\":\""
                + project.body().path("project").path("id").asText() + "\",\"usage_id\":\"" + usageId
                + "\",\"amount\":5}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(75);
        assertLedgerConsistent(account);
    }

    /**
     * DESIGN is silent on a revert that would take the balance past the largest int64 (grants
     * brought it there after the usage); a grant in that case is a 400, so a revert must not be a 500.
     */
    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertThatWouldTakeTheBalancePastTheLargestInt64IsRejected(RevertPath path) {
        Org org = fixtures.organization();
        String account = fundedAccount(org, 30);
        String usageId = reportUsage(org, account, 30);
        fixtures.grant(org, account, Long.MAX_VALUE);
        long balanceBefore = SERVER.storedBalance(account);
        long entriesBefore = SERVER.entryCount(account);

        Reply reply = path.revert(SERVER.admin(), org, account, usageId, null);

        assertError(reply, 400); // any code of HTTP 400 by DESIGN §2: 3, 9 or 11
        assertThat(SERVER.storedBalance(account)).isEqualTo(balanceBefore).isEqualTo(Long.MAX_VALUE);
        assertThat(SERVER.entryCount(account)).isEqualTo(entriesBefore);
    }

    private String fundedAccount(Org org, long credits) {
        String account = fixtures.account(org);
        fixtures.grant(org, account, credits);
        return account;
    }

    private String reportUsage(Org org, String account, long amount) {
        String usageId = UUID.randomUUID().toString();
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, usageId, amount);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return usageId;
    }

    private static JsonNode newestTransaction(Org org, String account) {
        Reply list = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.body().path("transactions").path(0);
    }

    private static String debitedTotal(Org org, String account) {
        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "/debited_transactions_total");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("debited").path("amount").isTextual()).as(reply.toString()).isTrue();
        return reply.body().path("debited").path("amount").asText();
    }

    private static void assertLedgerConsistent(String account) {
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }
}
