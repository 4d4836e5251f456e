package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §1 and §9: grants, usage and reverts writing one account at the same moment, each through
 * its own path (a grant or revert locks the row itself; usage goes through the group-commit lane).
 * Every write is applied exactly once: none is lost to another's stale read of the balance.
 */
class ConcurrentLedgerWritersTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final int WRITERS_PER_KIND = 4;
    private static final int WRITES_PER_WRITER = 15;
    private static final long START = 10_000;

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void concurrentGrantsUsagesAndRevertsOnOneAccountAreEachAppliedOnce() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, START);
        TallyClient admin = SERVER.admin();
        String accountPath = Fixtures.accountPath(org, account);
        String creditsPath = accountPath.replace("/v1beta1/", "/v1beta1/admin/") + "/credits";
        int writes = WRITERS_PER_KIND * WRITES_PER_WRITER;
        List<String> toRevert = new ArrayList<>();
        for (int index = 0; index < writes; index++) {
            String usage = UUID.randomUUID().toString();
            assertThat(fixtures.reportUsage(admin, org, account, usage, 3).status()).isEqualTo(200);
            toRevert.add(usage);
        }

        List<Callable<List<Reply>>> writers = new ArrayList<>();
        for (int writer = 0; writer < WRITERS_PER_KIND; writer++) {
            int first = writer * WRITES_PER_WRITER;
            writers.add(() -> repeat(index -> admin.post(creditsPath, "{\"amount\":\"5\",\"source\":\"concurrent\"}")));
            writers.add(() -> repeat(index -> fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 2)));
            writers.add(() -> repeat(index -> RevertPath.ADMIN.revert(admin, org, account,
                    toRevert.get(first + index), 1L)));
        }
        for (List<Reply> replies : Together.all(writers)) {
            for (Reply reply : replies) {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            }
        }

        long expected = START - 3L * writes + 5L * writes - 2L * writes + 1L * writes;
        assertThat(SERVER.storedBalance(account)).as("stored balance").isEqualTo(expected);
        assertThat(SERVER.ledgerSum(account)).as("credits - debits of the entries").isEqualTo(expected);
        assertThat(fixtures.balance(org, account)).isEqualTo(expected);
        assertThat(SERVER.entryCount(account)).isEqualTo(1 + 4L * writes);
        Reply debited = admin.get(accountPath + "/debited_transactions_total");
        assertThat(debited.body().path("debited").path("amount").asText())
                .isEqualTo(Long.toString(3L * writes + 2L * writes - 1L * writes));
    }

    private interface Write {
        Reply send(int index);
    }

    private static List<Reply> repeat(Write write) {
        List<Reply> replies = new ArrayList<>();
        for (int index = 0; index < WRITES_PER_WRITER; index++) {
            replies.add(write.send(index));
        }
        return replies;
    }
}
