package dev.tally.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §6 rule 5 under concurrency: many simultaneous reverts of one usage, over real HTTP from
 * real threads released together, give back the usage once.
 */
class RevertConcurrencyTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final int THREADS = 32;
    private static final long GRANT = 1_000;
    private static final long USAGE = 100;

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void concurrentFullRevertsOfOneUsageSucceedOnce() throws Exception {
        Org org = fixtures.organization();
        Charged charged = chargedAccount(org);
        String account = charged.account();
        String usageId = charged.usageId();
        long entriesBefore = SERVER.entryCount(account);

        List<Reply> replies = revertConcurrently(thread -> path(thread).revert(
                SERVER.admin(), org, account, usageId, thread % 4 == 0 ? null : 0L));

        assertOneSucceeded(replies);
        assertThat(fixtures.balance(org, account)).isEqualTo(GRANT);
        assertThat(SERVER.entryCount(account)).isEqualTo(entriesBefore + 1);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    @Test
    void concurrentPartialRevertsOfOneUsageSucceedOnce() throws Exception {
        Org org = fixtures.organization();
        Charged charged = chargedAccount(org);
        String account = charged.account();
        String usageId = charged.usageId();
        long entriesBefore = SERVER.entryCount(account);

        // Thread i asks for i + 1 credits back, so the balance tells which request won.
        List<Reply> replies = revertConcurrently(thread -> path(thread).revert(
                SERVER.admin(), org, account, usageId, (long) thread + 1));

        int winner = assertOneSucceeded(replies);
        long givenBack = winner + 1;
        assertThat(fixtures.balance(org, account)).isEqualTo(GRANT - USAGE + givenBack);
        assertThat(SERVER.entryCount(account)).isEqualTo(entriesBefore + 1);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
        JsonNode revert = SERVER.admin().get(Fixtures.accountPath(org, account) + "/transactions").body()
                .path("transactions").path(0);
        assertThat(revert.path("id").asText()).isEqualTo(RevertPath.expectedRevertId(usageId, account));
        assertThat(revert.path("amount").asText()).isEqualTo(Long.toString(givenBack));
        assertThat(SERVER.admin().get(Fixtures.accountPath(org, account) + "/debited_transactions_total").body()
                .path("debited").path("amount").asText()).isEqualTo(Long.toString(USAGE - givenBack));
    }

    private record Charged(String account, String usageId) {}

    /** A new account granted {@link #GRANT} and charged one usage of {@link #USAGE}. */
    private Charged chargedAccount(Org org) {
        String account = fixtures.account(org);
        fixtures.grant(org, account, GRANT);
        String usageId = UUID.randomUUID().toString();
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, usageId, USAGE);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return new Charged(account, usageId);
    }

    /** Half of the requests take each route, so the two routes also race each other. */
    private static RevertPath path(int thread) {
        return thread % 2 == 0 ? RevertPath.ORGANIZATION : RevertPath.ADMIN;
    }

    /** Runs {@code request} on {@link #THREADS} threads that wait at a gate and are released together. */
    private static List<Reply> revertConcurrently(Together.Call<Reply> request) throws Exception {
        return Together.run(THREADS, request);
    }

    /** Exactly one 200 and every other reply the 409 of rule 5; returns the index of the 200. */
    private static int assertOneSucceeded(List<Reply> replies) {
        Map<Integer, Long> countByStatus = replies.stream()
                .collect(Collectors.groupingBy(Reply::status, TreeMap::new, Collectors.counting()));
        assertThat(countByStatus).as(replies.toString()).isEqualTo(Map.of(200, 1L, 409, (long) THREADS - 1));
        int winner = -1;
        for (int index = 0; index < replies.size(); index++) {
            Reply reply = replies.get(index);
            if (reply.status() == 200) {
                assertThat(reply.rawBody()).isEqualTo("{}");
                winner = index;
                continue;
            }
            assertError(reply, 409, 6, "usage already reverted");
        }
        return winner;
    }
}
