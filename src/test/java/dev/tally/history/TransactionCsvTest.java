package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static dev.tally.history.HistoryFixtures.allPages;
import static dev.tally.history.HistoryFixtures.usages;
import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** ListBillingTransactions' path with Accept: text/csv (DESIGN §11). */
class TransactionCsvTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HEADER = List.of("id", "customer_id", "source", "amount", "type",
            "description", "user_id", "metadata", "created_at", "reverted_usage_id");

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void fieldsWithCommasQuotesAndLineBreaksAreQuotedAndParseBack() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String usageId = UUID.randomUUID().toString();
        String description = "He said \"hi\", then\r\nleft\nagain";
        Reply usage = SERVER.admin().post(Fixtures.accountPath(org, account) + "/usages", MAPPER.writeValueAsString(
                MAPPER.createObjectNode().set("usages", MAPPER.createArrayNode().add(MAPPER.createObjectNode()
                        .put("id", usageId).put("amount", "7").put("source", "a,b").put("description", description)
                        .put("user_id", "\"quoted\"")
                        .set("metadata", MAPPER.createObjectNode().put("k", "v,\"w\"").put("n", 1))))));
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        assertThat(HistoryFixtures.revert(SERVER.admin(), org, account, usageId).status()).isEqualTo(200);

        Reply csv = csv(SERVER.admin(), org, account, "");
        List<List<String>> records = Rfc4180.parse(csv.rawBody());
        List<JsonNode> json = allPages(SERVER.admin(), org, account, 100, "");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(records.get(0)).isEqualTo(HEADER);
        assertThat(records).hasSize(4);
        List<String> usageRow = records.get(2);
        assertThat(usageRow.get(0)).isEqualTo(usageId);
        assertThat(usageRow.get(2)).isEqualTo("a,b");
        assertThat(usageRow.get(5)).isEqualTo(description);
        assertThat(usageRow.get(6)).isEqualTo("\"quoted\"");
        assertThat(MAPPER.readTree(usageRow.get(7)).path("k").asText()).isEqualTo("v,\"w\"");
        assertThat(usageRow.get(9)).isEmpty();
        assertThat(records.get(1).get(9)).as("the revert names the usage").isEqualTo(usageId);
        for (int index = 0; index < json.size(); index++) {
            assertSameEntry(records.get(index + 1), json.get(index));
        }
    }

    @Test
    void aHundredThousandEntriesStreamAndParseBackToTheSameEntries() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000_000);
        usages(SERVER.admin(), org, account, 100_000, 3, "bulk");

        Reply csv = csv(SERVER.admin(), org, account, "");
        List<List<String>> records = Rfc4180.parse(csv.rawBody());
        List<JsonNode> json = allPages(SERVER.admin(), org, account, 1_000, "");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(records).hasSize(100_002);
        assertThat(json).hasSize(100_001);
        for (int index = 0; index < json.size(); index++) {
            assertSameEntry(records.get(index + 1), json.get(index));
        }
    }

    @Test
    void theRangeAndFiltersOfTheListApply() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        List<String> api = usages(SERVER.admin(), org, account, 3, 1, "api");
        usages(SERVER.admin(), org, account, 2, 1, "gpu");

        List<List<String>> records = Rfc4180.parse(csv(SERVER.admin(), org, account, "?source=api&type=debit").rawBody());

        assertThat(records.subList(1, records.size()).stream().map(record -> record.get(0)))
                .containsExactlyInAnyOrderElementsOf(api);
    }

    @Test
    void aRefusedExportIsAnErrorReplyNotACsvFile() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Org otherOrg = fixtures.organization();
        String otherAccount = fixtures.account(otherOrg);
        TallyClient robot = fixtures.serviceUser(org);

        assertError(csv(SERVER.admin(), org, account, "?start_range=2026-02-01T00:00:00Z&end_range=2026-01-01T00:00:00Z"),
                400, 3);
        assertError(csv(SERVER.admin(), org, account, "?type=usage"), 400, 3);
        assertError(csv(SERVER.anonymous(), org, account, ""), 401, 16);
        assertError(csv(robot, otherOrg, otherAccount, ""), 403, 7);
        assertThat(csv(robot, org, account, "").status()).isEqualTo(200);
    }

    @Test
    void otherAcceptHeadersGetJson() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 5);

        Reply json = SERVER.admin().withHeader("Accept", "application/json")
                .get(Fixtures.accountPath(org, account) + "/transactions");

        assertThat(json.body().path("transactions").size()).isEqualTo(1);
    }

    private static Reply csv(TallyClient client, Org org, String account, String query) {
        return client.withHeader("Accept", "text/csv").get(Fixtures.accountPath(org, account) + "/transactions" + query);
    }

    private static void assertSameEntry(List<String> record, JsonNode entry) {
        assertThat(record).hasSize(HEADER.size());
        assertThat(record.get(0)).isEqualTo(entry.path("id").asText());
        assertThat(record.get(1)).isEqualTo(entry.path("customer_id").asText());
        assertThat(record.get(2)).isEqualTo(entry.path("source").asText());
        assertThat(record.get(3)).isEqualTo(entry.path("amount").asText());
        assertThat(record.get(4)).isEqualTo(entry.path("type").asText());
        assertThat(record.get(5)).isEqualTo(entry.path("description").asText());
        assertThat(record.get(6)).isEqualTo(entry.path("user_id").asText());
        assertThat(java.time.Instant.parse(record.get(8))).isEqualTo(java.time.Instant.parse(
                entry.path("created_at").asText()));
        try {
            assertThat(MAPPER.readTree(record.get(7))).isEqualTo(entry.path("metadata"));
        } catch (java.io.IOException e) {
            throw new AssertionError("metadata is not JSON: " + record.get(7), e);
        }
    }
}
