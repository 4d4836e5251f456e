package dev.tally.billing;

import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TALLY_REQUEST_TIMEOUT_MS is the one deadline of a request, from the HTTP layer down to the wait
 * for a usage group: a usage that cannot commit in time gets Tally's own 503 (retry) shortly
 * before the deadline, not a transport timeout and not an answer a minute later.
 */
class UsageDeadlineTest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1_500);

    @RegisterExtension
    static final TallyServer SERVER = TallyServer.withWriteLimits(1_000, REQUEST_TIMEOUT);

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aUsageThatCannotCommitBeforeTheDeadlineIsAnsweredUnavailableWithinIt() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        TallyClient robot = fixtures.serviceUser(org);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        // Another transaction holds the account's row lock, so the usage's group cannot commit.
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> SERVER.tally().database().inTransaction(
                connection -> {
                    new BillingAccountRepository().lockAll(connection, Set.of(UUID.fromString(account)));
                    locked.countDown();
                    try {
                        released.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
        try {
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            long startNanos = System.nanoTime();
            Reply reply = fixtures.reportUsage(robot, org, account, UUID.randomUUID().toString(), 10);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

            assertThat(assertError(reply, 503, 14)).contains("could not be confirmed in time; retry");
            // Tally's own message: its wait ended before the transport's timeout would have answered.
            assertThat(elapsed).isGreaterThan(REQUEST_TIMEOUT.minusMillis(500)).isLessThan(REQUEST_TIMEOUT.plusSeconds(1));
        } finally {
            released.countDown();
            holder.join();
        }
    }
}
