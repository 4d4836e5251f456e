package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions that race on one account in the database itself, not only in one JVM's usage lane:
 * two Tally servers (own pools, own lanes) on one database, and usage racing grants, reverts and
 * limit changes, which run outside the lanes. Only the account's row lock keeps these right, so
 * each test fails when a {@code FOR UPDATE} is taken out of {@code BillingAccountRepository}.
 */
class SharedAccountRaceTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    private static TallyServer.Peer peer;

    private final Fixtures fixtures = new Fixtures(SERVER);

    @BeforeAll
    static void startSecondTally() {
        peer = SERVER.startPeer();
    }

    @AfterAll
    static void stopSecondTally() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void usagesSentToTwoTallyProcessesSpendTheBalanceExactlyOnce() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 600);
        TallyClient[] robots = bothServers(fixtures.serviceUser(org));
        AtomicLong applied = new AtomicLong();

        List<Callable<Void>> clients = new ArrayList<>();
        for (int client = 0; client < 16; client++) {
            TallyClient robot = robots[client % 2];
            clients.add(() -> {
                for (int index = 0; index < 25; index++) {
                    Reply reply = fixtures.reportUsage(robot, org, account, UUID.randomUUID().toString(), 3);
                    assertThat(reply.status()).as(reply.toString()).isIn(200, 400);
                    applied.addAndGet(reply.status() == 200 ? 1 : 0);
                }
                return null;
            });
        }
        runTogether(clients);

        // 16 × 25 usages of 3 ask for 1,200 credits; 600 pay for exactly 200 of them.
        assertThat(applied.get()).isEqualTo(200);
        assertThat(SERVER.storedBalance(account)).isEqualTo(0).isEqualTo(SERVER.ledgerSum(account));
        assertThat(entries(account, "usage")).isEqualTo(200);
    }

    @Test
    void usageRacingGrantsRevertsAndLimitChangesKeepsTheBalanceEqualToItsEntries() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 300);
        TallyClient[] robots = bothServers(fixtures.serviceUser(org));
        TallyClient[] admins = bothServers(SERVER.admin());
        ConcurrentLinkedQueue<String> revertable = new ConcurrentLinkedQueue<>();
        AtomicLong usages = new AtomicLong();
        AtomicLong reverts = new AtomicLong();

        List<Callable<Void>> clients = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            TallyClient robot = robots[client % 2];
            clients.add(() -> {
                for (int index = 0; index < 30; index++) {
                    String usageId = UUID.randomUUID().toString();
                    Reply reply = fixtures.reportUsage(robot, org, account, usageId, 2);
                    assertThat(reply.status()).as(reply.toString()).isIn(200, 400);
                    if (reply.status() == 200) {
                        usages.incrementAndGet();
                        revertable.add(usageId);
                    }
                }
                return null;
            });
        }
        clients.add(() -> {
            for (int index = 0; index < 30; index++) {
                fixtures.grant(org, account, 5);
            }
            return null;
        });
        clients.add(() -> {
            for (int index = 0; index < 60 && reverts.get() < 30; index++) {
                String usageId = revertable.poll();
                if (usageId == null) {
                    Thread.sleep(5);
                    continue;
                }
                Reply reply = admins[index % 2].post("/v1beta1/organizations/billing/usages/revert",
                        "{\"org_id\":\"" + org.id() + "\",\"usage_id\":\"" + usageId + "\"}");
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                reverts.incrementAndGet();
            }
            return null;
        });
        clients.add(() -> {
            for (int index = 0; index < 30; index++) {
                Reply reply = admins[index % 2].put(Fixtures.accountPath(org, account)
                                .replace("/v1beta1/", "/v1beta1/admin/") + "/limits",
                        "{\"credit_min\":\"" + (index % 2 == 0 ? -40 : 0) + "\"}");
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            }
            return null;
        });
        runTogether(clients);

        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account)).isGreaterThanOrEqualTo(-40);
        assertThat(storedDebited(account)).isEqualTo(2 * usages.get() - 2 * reverts.get());
        assertThat(entries(account, "usage")).isEqualTo(usages.get());
        assertThat(entries(account, "revert")).isEqualTo(reverts.get());
        assertThat(entries(account, "grant")).isEqualTo(31);
    }

    /** The same client on this test's server and on the second Tally. */
    private static TallyClient[] bothServers(TallyClient client) {
        return new TallyClient[] {client, client.at(peer.uri())};
    }

    private static void runTogether(List<Callable<Void>> clients) throws Exception {
        Together.all(clients);
    }

    private static long entries(String account, String kind) {
        return query("SELECT COUNT(*) FROM billing_transactions WHERE account_id = ? AND kind = '" + kind + "'",
                account);
    }

    private static long storedDebited(String account) {
        return query("SELECT debited FROM billing_accounts WHERE id = ?", account);
    }

    private static long query(String sql, String account) {
        return SERVER.tally().database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, UUID.fromString(account));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }
}
