package dev.tally.billing;

import dev.tally.testing.AccountRowLock;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;

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
        String captured = UUID.randomUUID().toString();
        assertThat(robot.post(Fixtures.accountPath(org, account) + "/holds",
                "{\"id\":\"" + captured + "\",\"amount\":\"10\"}").status()).isEqualTo(200);
        // Another transaction holds the account's row lock, so the usage's group cannot commit.
        AccountRowLock lock = new AccountRowLock(SERVER.tally().database(), UUID.fromString(account));
        try {
            long startNanos = System.nanoTime();
            Reply reply = fixtures.reportUsage(robot, org, account, UUID.randomUUID().toString(), 10);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

            assertThat(assertError(reply, 503, 14)).contains("could not be confirmed in time; retry");
            // Tally's own message: its wait ended before the transport's timeout would have answered.
            assertThat(elapsed).isGreaterThan(REQUEST_TIMEOUT.minusMillis(500)).isLessThan(REQUEST_TIMEOUT.plusSeconds(1));

            // A hold's placement waits in the same lane, under the same deadline (DESIGN §12).
            String holdId = UUID.randomUUID().toString();
            Reply hold = robot.post(Fixtures.accountPath(org, account) + "/holds",
                    "{\"id\":\"" + holdId + "\",\"amount\":\"10\"}");
            assertThat(assertError(hold, 503, 14)).contains("could not be confirmed in time; retry");
            // So does a capture's debit, answered from its lane's future as a placement is.
            Reply capture = robot.post(Fixtures.accountPath(org, account) + "/holds/" + captured + "/capture", "{}");
            assertThat(assertError(capture, 503, 14)).contains("could not be confirmed in time; retry");
        } finally {
            lock.release();
        }
    }

    @Test
    void aRequestTheTransportTimesOutIsAnsweredUnavailableNotInternalError() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        // A grant does not wait in a lane: its statement waits on the locked account row until
        // Armeria's request timeout answers for it.
        AccountRowLock lock = new AccountRowLock(SERVER.tally().database(), UUID.fromString(account));
        try {
            Reply reply = SERVER.admin().post(Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/")
                    + "/credits", "{\"amount\":\"10\",\"source\":\"test\"}");

            assertThat(assertError(reply, 503, 14)).contains("did not complete in time");
        } finally {
            lock.release();
        }
    }
}
