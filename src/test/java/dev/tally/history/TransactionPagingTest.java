package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tally.history.HistoryFixtures.allPages;
import static dev.tally.history.HistoryFixtures.ids;
import static dev.tally.history.HistoryFixtures.usages;
import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** ListBillingTransactions with page_size and page_token, its filters and its limits (DESIGN §11). */
class TransactionPagingTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void pagesTogetherAreTheUnpagedListInTheSameOrder() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        usages(SERVER.admin(), org, account, 24, 1, "api");

        List<String> unpaged = ids(SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions"));
        List<JsonNode> paged = allPages(SERVER.admin(), org, account, 10, "");

        assertThat(unpaged).hasSize(25);
        assertThat(ids(paged)).isEqualTo(unpaged);
    }

    @Test
    void theLastPageHasNoNextPageToken() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        usages(SERVER.admin(), org, account, 9, 1, "api");

        Reply whole = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?page_size=10");
        Reply unpaged = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions");

        assertThat(ids(whole)).hasSize(10);
        assertThat(whole.body().path("next_page_token").asText()).isEmpty();
        assertThat(unpaged.body().path("next_page_token").asText()).isEmpty();
    }

    /**
     * 2,500 entries exist; 16 clients keep reporting usage on the same account while a reader pages
     * through it 100 at a time. Every entry that existed when the first page was read comes back
     * exactly once, in the order of a quiet read, and nothing written later shows up.
     */
    @Test
    void pagingWhileSixteenClientsWriteReturnsEachEarlierEntryOnceInOrder() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000_000_000L);
        Set<String> before = new HashSet<>(usages(SERVER.admin(), org, account, 2_499, 1, "api"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < 16; client++) {
            running.add(writers.submit(() -> {
                while (!stop.get()) {
                    Reply reply = fixtures.reportUsage(SERVER.admin(), org, account, UUID.randomUUID().toString(), 1);
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                    written.incrementAndGet();
                }
                return null;
            }));
        }
        List<JsonNode> paged;
        int writtenWhilePaging;
        try {
            while (written.get() < 50) {
                Thread.sleep(5);
            }
            int atStart = written.get();
            paged = allPages(SERVER.admin(), org, account, 100, "");
            writtenWhilePaging = written.get() - atStart;
        } finally {
            stop.set(true);
            for (Future<?> writer : running) {
                writer.get();
            }
            writers.shutdown();
        }

        List<String> quiet = ids(SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions"));
        List<String> pagedIds = ids(paged);
        // What existed at the first page is the quiet list from the first page's first entry on.
        List<String> expected = quiet.subList(quiet.indexOf(pagedIds.get(0)), quiet.size());
        assertThat(writtenWhilePaging).as("writes during paging").isPositive();
        assertThat(pagedIds).doesNotHaveDuplicates().isEqualTo(expected);
        assertThat(pagedIds).containsAll(before);
    }

    @Test
    void typeAndSourceFiltersSelectEntriesAndPagesKeepThem() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        List<String> api = usages(SERVER.admin(), org, account, 7, 1, "api");
        List<String> gpu = usages(SERVER.admin(), org, account, 5, 2, "gpu");

        List<String> debits = ids(allPages(SERVER.admin(), org, account, 3, "&type=debit"));
        List<String> credits = ids(allPages(SERVER.admin(), org, account, 3, "&type=credit"));
        List<String> gpuOnly = ids(allPages(SERVER.admin(), org, account, 2, "&source=gpu"));
        List<String> apiDebits = ids(allPages(SERVER.admin(), org, account, 4, "&type=debit&source=api"));

        assertThat(debits).hasSize(12).containsAll(api).containsAll(gpu);
        assertThat(credits).hasSize(1).doesNotContainAnyElementsOf(debits);
        assertThat(gpuOnly).containsExactlyInAnyOrderElementsOf(gpu);
        assertThat(apiDebits).containsExactlyInAnyOrderElementsOf(api);
    }

    @Test
    void moreThanTenThousandEntriesWithoutPageSizeIsOutOfRangeAndPagesStillWork() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000_000);
        usages(SERVER.admin(), org, account, 10_000, 1, "api");

        Reply unpaged = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions");
        Reply narrowed = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?type=debit");
        Reply page = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?page_size=1000");

        assertError(unpaged, 400, 11);
        assertThat(unpaged.body().path("message").asText()).contains("page_size");
        assertThat(ids(narrowed)).hasSize(10_000);
        assertThat(ids(page)).hasSize(1_000);
        assertThat(page.body().path("next_page_token").asText()).isNotEmpty();
    }

    @Test
    void aRangeBoundBetweenTwoMicrosecondsSelectsExactlyTheEntriesInIt() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        String usage = usages(SERVER.admin(), org, account, 1, 1, "api").get(0);
        String path = Fixtures.accountPath(org, account) + "/transactions?page_size=10&source=api";
        Instant createdAt = Instant.parse(SERVER.admin().get(path).body().path("transactions").get(0)
                .path("created_at").asText());
        // 400 ns after the entry: rounded half down to its microsecond, the bounds would flip.
        Instant justAfter = createdAt.plusNanos(400);

        assertThat(ids(SERVER.admin().get(path + "&start_range=" + justAfter))).isEmpty();
        assertThat(ids(SERVER.admin().get(path + "&end_range=" + justAfter))).containsExactly(usage);
        assertThat(ids(SERVER.admin().get(path + "&start_range=" + createdAt))).containsExactly(usage);
        assertThat(ids(SERVER.admin().get(path + "&end_range=" + createdAt))).isEmpty();
    }

    @Test
    void theWidestRangeACallerCanSendPagesEveryEntry() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        usages(SERVER.admin(), org, account, 5, 1, "api");

        // The end rounds up to 10000-01-01, a year the text binding leaves to the driver.
        List<JsonNode> paged = allPages(SERVER.admin(), org, account, 2,
                "&start_range=0001-01-01T00:00:00Z&end_range=9999-12-31T23:59:59.999999999Z");

        assertThat(paged).hasSize(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"page_size=1001", "page_size=-1", "page_size=abc", "page_token=xyz",
            "page_size=10&page_token=%25%25%25", "page_size=10&page_token=AAAA", "type=usage", "type=debit,credit",
            "start_range=2026-02-01T00:00:00Z&end_range=2026-01-01T00:00:00Z",
            "start_range=2026-01-01T00:00:00Z&end_range=2026-01-01T00:00:00Z"})
    void badPagingInputIsRefusedAndChangesNothing(String query) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10);
        long entries = SERVER.entryCount(account);

        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?" + query);

        assertError(reply, 400, 3);
        assertThat(SERVER.entryCount(account)).isEqualTo(entries);
        assertThat(SERVER.storedBalance(account)).isEqualTo(10);
    }

    @Test
    void anAlteredTokenIsRefused() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        usages(SERVER.admin(), org, account, 5, 1, "api");
        String token = nextToken(SERVER.admin(), org, account, "");

        List<String> altered = new ArrayList<>();
        for (int index = 0; index < token.length(); index += 7) {
            char replaced = token.charAt(index) == 'A' ? 'B' : 'A';
            altered.add(token.substring(0, index) + replaced + token.substring(index + 1));
        }
        altered.add(token.substring(0, token.length() - 2));
        altered.add(token + "AA");

        for (String bad : altered) {
            Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?page_size=2&page_token="
                    + bad);
            assertError(reply, 400, 3);
        }
    }

    @Test
    void aTokenOfAnotherAccountOrAnotherQueryIsRefused() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String other = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        fixtures.grant(org, other, 1_000);
        usages(SERVER.admin(), org, account, 5, 1, "api");
        usages(SERVER.admin(), org, other, 5, 1, "api");
        String token = nextToken(SERVER.admin(), org, account, "");

        Reply foreign = SERVER.admin().get(Fixtures.accountPath(org, other) + "/transactions?page_size=2&page_token="
                + token);
        Reply otherFilter = SERVER.admin().get(Fixtures.accountPath(org, account)
                + "/transactions?page_size=2&type=debit&page_token=" + token);
        Reply otherRange = SERVER.admin().get(Fixtures.accountPath(org, account)
                + "/transactions?page_size=2&start_range=2020-01-01T00:00:00Z&page_token=" + token);
        Reply same = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions?page_size=2&page_token="
                + token);

        assertError(foreign, 400, 3);
        assertThat(foreign.body().path("message").asText()).contains("another billing account");
        assertError(otherFilter, 400, 3);
        assertError(otherRange, 400, 3);
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
    }

    @Test
    void aServiceUserPagesItsOwnOrganizationOnly() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        Org otherOrg = fixtures.organization();
        String otherAccount = fixtures.account(otherOrg);
        TallyClient robot = fixtures.serviceUser(org);

        Reply own = robot.get(Fixtures.accountPath(org, account) + "/transactions?page_size=1");
        Reply foreign = robot.get(Fixtures.accountPath(otherOrg, otherAccount) + "/transactions?page_size=1");

        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertError(foreign, 403, 7);
    }

    private static String nextToken(TallyClient client, Org org, String account, String query) {
        Reply first = client.get(Fixtures.accountPath(org, account) + "/transactions?page_size=2" + query);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        String token = first.body().path("next_page_token").asText();
        assertThat(token).isNotEmpty();
        return token;
    }
}
