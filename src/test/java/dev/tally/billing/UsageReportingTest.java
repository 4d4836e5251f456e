package dev.tally.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §5 (reporting usage) and the error shape of §2, over HTTP. */
class UsageReportingTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    static final ObjectMapper JSON = new ObjectMapper();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void usageIsOneDebitWithLowerCasedSourceAndTheUsageIdAsTransactionId() {
        Account account = account(100);
        String usageId = uuid();
        assertOk(report(account, usage(usageId, 30).put("source", "Search-API").put("description", "a query")));

        Reply list = admin.get(Fixtures.accountPath(account.org(), account.id()) + "/transactions");
        assertOk(list);
        ObjectNode newest = list.body().path("transactions").path(0).deepCopy();
        assertThat(Instant.parse(newest.remove("created_at").asText())).isNotNull();
        newest.remove("updated_at");
        ObjectNode expected = JSON.createObjectNode().put("id", usageId).put("customer_id", account.id())
                .put("source", "search-api").put("amount", "30").put("type", "debit").put("description", "a query")
                .put("user_id", "u1");
        expected.putObject("metadata").put("k", "v");
        assertThat(newest).isEqualTo(expected);
        assertThat(list.body().path("transactions")).hasSize(2);
        assertThat(state(account)).isEqualTo(new State(70, 2));
    }

    @Test
    void aBatchThatWouldOverdrawAppliesNothing() {
        Account account = account(100);
        Reply reply = report(account, usage(uuid(), 40), usage(uuid(), 40), usage(uuid(), 40));
        assertThat(assertError(reply, 400)).isEqualTo("insufficient credits");
        assertThat(state(account)).isEqualTo(new State(100, 1));
    }

    @Test
    void aBatchWithAnAlreadyRecordedIdAppliesNothing() {
        Account account = account(100);
        String recorded = uuid();
        assertOk(report(account, usage(recorded, 10)));
        String fresh = uuid();

        Reply reply = report(account, usage(fresh, 5), usage(recorded, 5), usage(uuid(), 5));
        assertThat(assertError(reply, 409, 6)).contains(recorded);
        assertThat(state(account)).isEqualTo(new State(90, 2));
        assertOk(report(account, usage(fresh, 5)));
    }

    @Test
    void aRecordedUsageIdIsAlreadyExistsNamingTheId() {
        Account account = account(100);
        String usageId = uuid();
        assertOk(report(account, usage(usageId, 10)));

        assertThat(assertError(report(account, usage(usageId, 10)), 409, 6)).contains(usageId);
        assertThat(state(account)).isEqualTo(new State(90, 2));
    }

    @Test
    void theSameUsageIdTwiceInOneRequestIsRejectedAndAppliesNothing() {
        Account account = account(100);
        String twice = uuid();
        String fresh = uuid();

        Reply reply = report(account, usage(fresh, 5), usage(twice, 5), usage(twice, 5));

        assertThat(assertError(reply, 400, 3)).contains(twice).contains("twice");
        assertThat(state(account)).isEqualTo(new State(100, 1));
        assertOk(report(account, usage(fresh, 5), usage(twice, 5)));
        assertThat(state(account)).isEqualTo(new State(90, 3));
    }

    @Test
    void aUsageIdRecordedOnAnotherOrganizationsAccountIsAlreadyExistsAndChangesNeither() {
        Account theirs = account(100);
        Account ours = account(100);
        String usageId = uuid();
        assertOk(report(theirs, usage(usageId, 10)));

        Reply reply = report(ours, usage(uuid(), 5), usage(usageId, 10));

        assertThat(assertError(reply, 409, 6)).contains(usageId);
        assertThat(state(ours)).isEqualTo(new State(100, 1));
        assertThat(state(theirs)).isEqualTo(new State(90, 2));
    }

    @Test
    void insufficientCreditsAreRejectedAndChangeNothing() {
        Account account = account(10);
        assertThat(assertError(report(account, usage(uuid(), 11)), 400)).isEqualTo("insufficient credits");
        assertThat(state(account)).isEqualTo(new State(10, 1));
        assertOk(report(account, usage(uuid(), 10)));
        assertThat(state(account)).isEqualTo(new State(0, 2));
    }

    @Test
    void negativeCreditMinAllowsAnOverdraft() {
        Account account = account(0);
        setCreditMin(account, "-50");
        assertOk(report(account, usage(uuid(), 50)));
        assertThat(assertError(report(account, usage(uuid(), 1)), 400)).isEqualTo("insufficient credits");
        assertThat(state(account)).isEqualTo(new State(-50, 1));
        assertThat(SERVER.storedBalance(account.id())).isEqualTo(SERVER.ledgerSum(account.id()));
    }

    @Test
    void positiveCreditMinKeepsAMinimumBalance() {
        Account account = account(100);
        setCreditMin(account, "30");
        assertThat(assertError(report(account, usage(uuid(), 71)), 400)).isEqualTo("insufficient credits");
        assertThat(state(account)).isEqualTo(new State(100, 1));
        assertOk(report(account, usage(uuid(), 70)));
        assertThat(state(account)).isEqualTo(new State(30, 2));
    }

    @Test
    void usageOnADisabledAccountIsFailedPrecondition() {
        Account account = account(100);
        assertOk(admin.post(Fixtures.accountPath(account.org(), account.id()) + "/disable", "{}"));
        assertError(report(account, usage(uuid(), 1)), 400, 9);
        assertThat(state(account)).isEqualTo(new State(100, 1));
    }

    @Test
    void onlyCreditOrEmptyTypeIsAccepted() {
        Account account = account(100);
        for (String type : new String[] {"feature", "debit", "CREDIT"}) {
            assertError(report(account, usage(uuid(), 1).put("type", type)), 400);
        }
        assertThat(state(account)).isEqualTo(new State(100, 1));
        assertOk(report(account, usage(uuid(), 1).put("type", "credit"), usage(uuid(), 2).put("type", "")));
        assertThat(state(account)).isEqualTo(new State(97, 3));
    }

    @Test
    void zeroAndNegativeAmountsAreRejected() {
        Account account = account(100);
        assertError(report(account, usage(uuid(), 0)), 400);
        assertError(report(account, usage(uuid(), -5)), 400);
        assertError(report(account, usage(uuid(), 5), usage(uuid(), -1)), 400);
        assertThat(state(account)).isEqualTo(new State(100, 1));
    }

    @Test
    void aThousandUsagesInOneRequestAreAcceptedButNotMore() {
        Account account = account(5_000);
        assertOk(report(account, batch(1_000, 2)));
        assertThat(state(account)).isEqualTo(new State(3_000, 1_001));

        assertError(report(account, batch(1_001, 1)), 400);
        assertThat(state(account)).isEqualTo(new State(3_000, 1_001));
    }

    @Test
    void textFieldsLongerThan255CharactersAreRejected() {
        Account account = account(100);
        for (String field : new String[] {"source", "description", "user_id"}) {
            assertError(report(account, usage(uuid(), 1).put(field, "x".repeat(256))), 400);
            assertThat(state(account)).as(field).isEqualTo(new State(100, 1));
        }
        assertOk(report(account, usage(uuid(), 1).put("source", "x".repeat(255))
                .put("description", "y".repeat(255)).put("user_id", "z".repeat(255))));
        assertThat(state(account)).isEqualTo(new State(99, 2));
    }

    @Test
    void metadataOver16KibIsRejected() {
        Account account = account(100);
        ObjectNode tooBig = usage(uuid(), 1);
        tooBig.putObject("metadata").put("k", "x".repeat(16 * 1024));
        assertError(report(account, tooBig), 400);
        assertThat(state(account)).isEqualTo(new State(100, 1));

        ObjectNode fits = usage(uuid(), 1);
        fits.putObject("metadata").put("k", "x".repeat(16 * 1024 - 100));
        assertOk(report(account, fits));
        assertThat(state(account)).isEqualTo(new State(99, 2));
    }

    @Test
    void usageIdThatIsNotAUuidIsRejected() {
        Account account = account(100);
        assertError(report(account, usage("usage-1", 1)), 400);
        assertError(report(account, usage("", 1)), 400);
        assertError(report(account, usage("1-2-3-4-5", 1)), 400);
        assertThat(state(account)).isEqualTo(new State(100, 1));
    }

    @Test
    void entryRecordsTheActingPrincipal() {
        Account account = account(100);
        String byAdmin = uuid();
        String byRobot = uuid();
        assertOk(report(account, usage(byAdmin, 1)));
        assertOk(fixtures.reportUsage(fixtures.serviceUser(account.org()), account.org(), account.id(), byRobot, 1));

        assertThat(SERVER.entryCreatedBy(byAdmin))
                .isEqualTo("serviceuser:" + SERVER.serviceUserOfCredential(TallyServer.ADMIN_CLIENT_ID));
        assertThat(SERVER.entryCreatedBy(byRobot)).startsWith("serviceuser:")
                .isNotEqualTo(SERVER.entryCreatedBy(byAdmin));
    }

    @Test
    void int64AmountIsAcceptedAsJsonNumberAndAsString() {
        long large = 9_007_199_254_740_993L; // 2^53 + 1: not exact as a double
        Account account = account(large + 7);
        assertOk(report(account, usage(uuid(), 3).put("amount", 3L), usage(uuid(), 4).put("amount", "4")));
        assertThat(state(account).balance()).isEqualTo(large);
        assertOk(report(account, usage(uuid(), 0).put("amount", large)));
        assertThat(state(account)).isEqualTo(new State(0, 4));
    }

    @Test
    void malformedBodiesAreBadRequests() {
        Account account = account(100);
        String path = Fixtures.accountPath(account.org(), account.id()) + "/usages";
        assertError(admin.post(path, "{\"usages\": ["), 400);
        assertError(admin.post(path, "[]"), 400);
        assertError(admin.post(path, "{\"usages\": {\"id\": \"" + uuid() + "\"}}"), 400);
        assertError(report(account, usage(uuid(), 1).put("amount", "ten")), 400);
        assertError(report(account, usage(uuid(), 1).put("amount", 1.5)), 400);
        assertThat(state(account)).isEqualTo(new State(100, 1));
    }

    /** One usage with every field set; the amount is a JSON string, as protojson prints int64. */
    static ObjectNode usage(String id, long amount) {
        ObjectNode usage = JSON.createObjectNode().put("id", id).put("amount", Long.toString(amount))
                .put("source", "API").put("description", "call").put("user_id", "u1");
        usage.putObject("metadata").put("k", "v");
        return usage;
    }

    /** A CreateBillingUsage body: the selector's fields and the usages. */
    static String usages(ObjectNode selector, ObjectNode... usages) {
        ObjectNode body = selector.deepCopy();
        ArrayNode list = body.putArray("usages");
        for (ObjectNode usage : usages) {
            list.add(usage);
        }
        return body.toString();
    }

    private static ObjectNode[] batch(int count, long amount) {
        return IntStream.range(0, count).mapToObj(i -> usage(uuid(), amount)).toArray(ObjectNode[]::new);
    }

    private Reply report(Account account, ObjectNode... usages) {
        return admin.post(Fixtures.accountPath(account.org(), account.id()) + "/usages",
                usages(JSON.createObjectNode(), usages));
    }

    private void setCreditMin(Account account, String creditMin) {
        String path = Fixtures.accountPath(account.org(), account.id()).replace("/v1beta1/", "/v1beta1/admin/");
        assertOk(admin.put(path + "/limits", "{\"credit_min\": \"" + creditMin + "\"}"));
    }

    /** A new account in a new organization, holding {@code credits} (no grant entry when 0). */
    private Account account(long credits) {
        Org org = fixtures.organization();
        String id = fixtures.account(org);
        if (credits > 0) {
            fixtures.grant(org, id, credits);
        }
        return new Account(org, id);
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    static void assertOk(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    /** What a request must leave alone: the balance the API reports and the number of entries. */
    private record State(long balance, long entries) {}

    private record Account(Org org, String id) {}

    private State state(Account account) {
        return new State(fixtures.balance(account.org(), account.id()), SERVER.entryCount(account.id()));
    }
}
