package dev.tally.ops;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** TALLY_RATE_LIMIT_PER_SECOND: per principal, admins too; 429 RESOURCE_EXHAUSTED with Retry-After; nothing done. */
class RateLimitTest {
    private static final int PER_SECOND = 3;

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer(OperationsConfig.DEFAULTS.withRateLimitPerSecond(PER_SECOND));

    @Test
    void aPrincipalOverItsRateIsRefusedWithRetryAfterAndNothingIsApplied() throws Exception {
        pauseForRefill();
        Fixtures fixtures = new Fixtures(SERVER);
        // The setup is the admin's requests too: paced to stay within its own limit.
        Fixtures.Org org = fixtures.organization();
        String accountId = fixtures.account(org);
        pauseForRefill();
        fixtures.grant(org, accountId, 1_000);
        TallyClient product = fixtures.serviceUser(org);
        pauseForRefill();

        // Sent at once, not one after another: on a loaded machine sequential requests can each take
        // longer than the bucket needs to refill one token, and then none would be over the rate.
        long startNanos = System.nanoTime();
        List<Reply> replies = atOnce(PER_SECOND * 3,
                () -> fixtures.reportUsage(product, org, accountId, UUID.randomUUID().toString(), 1));
        double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
        List<Reply> refused = replies.stream().filter(reply -> reply.status() == 429).toList();
        long applied = replies.stream().filter(reply -> reply.status() == 200).count();
        assertThat(applied + refused.size()).isEqualTo(replies.size());
        // A full bucket holds one second's worth; it refills at the rate while the requests run.
        assertThat(applied).as("a second's worth plus what refilled in %.2f s", elapsedSeconds)
                .isBetween((long) PER_SECOND, PER_SECOND + (long) Math.ceil(elapsedSeconds * PER_SECOND));
        assertThat(refused).isNotEmpty().allSatisfy(reply -> {
            assertThat(assertError(reply, 429, 8)).contains("rate limit");
            assertThat(reply.header("retry-after")).hasValueSatisfying(value ->
                    assertThat(value).isEqualTo("1"));
        });
        assertThat(SERVER.entryCount(accountId)).as("only the accepted usages were applied").isEqualTo(1 + applied);
        assertThat(SERVER.storedBalance(accountId)).isEqualTo(1_000 - applied);
    }

    @Test
    void principalsHaveTheirOwnBucketsAndAdminsAreLimitedToo() throws Exception {
        Fixtures fixtures = new Fixtures(SERVER);
        pauseForRefill();
        Fixtures.Org org = fixtures.organization();
        TallyClient first = fixtures.serviceUser(org);
        pauseForRefill();
        TallyClient second = fixtures.serviceUser(org);
        pauseForRefill();
        long refusedFirst = atOnce(PER_SECOND * 3, () -> first.get("/v1beta1/organizations/" + org.id())).stream()
                .filter(reply -> reply.status() == 429).count();
        assertThat(refusedFirst).isPositive();
        assertThat(second.get("/v1beta1/organizations/" + org.id()).status()).as("another principal is not slowed")
                .isEqualTo(200);

        long refusedAdmin = atOnce(PER_SECOND * 3, () -> SERVER.admin().get("/v1beta1/admin/organizations")).stream()
                .filter(reply -> reply.status() == 429).count();
        assertThat(refusedAdmin).isPositive();
        pauseForRefill();
        assertThat(first.get("/v1beta1/organizations/" + org.id()).status()).as("after Retry-After").isEqualTo(200);
    }

    @Test
    void theLimitIsCountedInTheMetrics() {
        TallyClient admin = SERVER.admin();
        pauseForRefill();
        for (int index = 0; index < PER_SECOND * 3; index++) {
            admin.get("/v1beta1/admin/organizations");
        }
        String metrics = MetricsTestSupport.scrape(SERVER);
        assertThat(metrics).containsPattern(
                "tally_rpc_requests_total\\{[^}]*http_status=\"429\"[^}]*rpc=\"ListAllOrganizations\"[^}]*} [1-9]");
    }

    /** Sends {@code count} requests released together from their own threads; the replies in order. */
    private static List<Reply> atOnce(int count, Callable<Reply> request) throws Exception {
        List<Reply> replies = new ArrayList<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(count)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reply>> sent = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                sent.add(senders.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            for (Future<Reply> reply : sent) {
                replies.add(reply.get());
            }
        }
        return replies;
    }

    private static void pauseForRefill() {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
