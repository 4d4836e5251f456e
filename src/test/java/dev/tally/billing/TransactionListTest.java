package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ListBillingTransactions: newest first, and the creation-time window of start_range, end_range
 * and since. Entries are put an hour apart on the test clock, so windows fall between them.
 */
class TransactionListTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void transactionsAreListedNewestFirst() {
        Hourly ledger = hourlyLedger();
        Reply revert = RevertPath.ORGANIZATION.revert(SERVER.admin(), ledger.org(), ledger.account(),
                ledger.secondUsage(), 5L);
        assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
        String revertId = RevertPath.expectedRevertId(ledger.secondUsage(), ledger.account());

        Reply byAccount = SERVER.admin().get(transactionsPath(ledger, ""));
        Reply byDefaultAccount = SERVER.admin().get("/v1beta1/organizations/" + ledger.org().id()
                + "/billing/transactions");

        List<String> newestFirst = List.of(revertId, ledger.secondUsage(), ledger.firstUsage(), ledger.grant());
        assertThat(ids(byAccount)).isEqualTo(newestFirst);
        assertThat(ids(byDefaultAccount)).isEqualTo(newestFirst);
        assertThat(byAccount.body().path("transactions").path(1).path("type").asText()).isEqualTo("debit");
        assertThat(byAccount.body().path("transactions").path(3).path("type").asText()).isEqualTo("credit");
    }

    @Test
    void startRangeAndEndRangeSelectTheEntriesBetweenThem() {
        Hourly ledger = hourlyLedger();

        Reply middle = SERVER.admin().get(transactionsPath(ledger, "?start_range=" + ledger.at(90)
                + "&end_range=" + ledger.at(150)));
        Reply fromMiddle = SERVER.admin().get(transactionsPath(ledger, "?start_range=" + ledger.at(90)));
        Reply untilMiddle = SERVER.admin().get(transactionsPath(ledger, "?end_range=" + ledger.at(90)));
        Reply beforeAll = SERVER.admin().get(transactionsPath(ledger, "?end_range=" + ledger.at(30)));

        assertThat(ids(middle)).containsExactly(ledger.firstUsage());
        assertThat(ids(fromMiddle)).containsExactly(ledger.secondUsage(), ledger.firstUsage());
        assertThat(ids(untilMiddle)).containsExactly(ledger.grant());
        assertThat(ids(beforeAll)).isEmpty();
    }

    @Test
    void sinceIsTheOldNameOfStartRange() {
        Hourly ledger = hourlyLedger();

        Reply since = SERVER.admin().get(transactionsPath(ledger, "?since=" + ledger.at(90)));
        Reply sinceWithEnd = SERVER.admin().get(transactionsPath(ledger, "?since=" + ledger.at(90)
                + "&end_range=" + ledger.at(150)));

        assertThat(ids(since)).containsExactly(ledger.secondUsage(), ledger.firstUsage());
        assertThat(ids(sinceWithEnd)).containsExactly(ledger.firstUsage());
    }

    @ParameterizedTest
    @CsvSource({
            "start_range, yesterday",
            "end_range, 2026-13-01T00:00:00Z",
            "end_range, 2026-02-30T00:00:00Z",
            "start_range, 2026-01-01T25:00:00Z",
            "since, 2026-01-01",
            "start_range, 1767225600"})
    void badTimestampIsRejected(String parameter, String value) {
        Hourly ledger = hourlyLedger();

        Reply reply = SERVER.admin().get(transactionsPath(ledger, "?" + parameter + "=" + value));

        assertError(reply, 400, 3);
    }

    /**
     * An account whose grant, first usage and second usage were made 60, 120 and 180 minutes
     * after {@code start} on the test clock.
     */
    private record Hourly(Org org, String account, Instant start, String grant, String firstUsage,
                          String secondUsage) {
        /** The RFC 3339 time {@code minutes} after start. */
        String at(long minutes) {
            return start.plus(Duration.ofMinutes(minutes)).toString();
        }
    }

    private Hourly hourlyLedger() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Instant start = SERVER.clock().instant();
        SERVER.clock().advance(Duration.ofHours(1));
        String grantId = UUID.randomUUID().toString();
        Reply grant = SERVER.admin().post("/v1beta1/admin/organizations/" + org.id() + "/billing/" + account
                + "/credits", "{\"id\":\"" + grantId + "\",\"amount\":\"100\",\"source\":\"test\"}");
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        SERVER.clock().advance(Duration.ofHours(1));
        String firstUsage = reportUsage(org, account);
        SERVER.clock().advance(Duration.ofHours(1));
        String secondUsage = reportUsage(org, account);
        return new Hourly(org, account, start, grantId, firstUsage, secondUsage);
    }

    private String reportUsage(Org org, String account) {
        String usageId = UUID.randomUUID().toString();
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, usageId, 10);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return usageId;
    }

    private static String transactionsPath(Hourly ledger, String query) {
        return Fixtures.accountPath(ledger.org(), ledger.account()) + "/transactions" + query;
    }

    private static List<String> ids(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.body().path("transactions").forEach(entry -> ids.add(entry.path("id").asText()));
        return ids;
    }
}
