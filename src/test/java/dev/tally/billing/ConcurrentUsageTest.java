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

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Many clients spending one account at once, over real HTTP: no overdraft, no lost or doubled money. */
class ConcurrentUsageTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final int CLIENTS = 16;
    private static final int USAGES_PER_CLIENT = 20;
    private static final long AMOUNT = 7;
    private static final long GRANTED = 1_000;

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void concurrentClientsNeverSpendBelowZero() {
        overspend(0);
    }

    @Test
    void concurrentClientsNeverSpendPastTheOverdraft() {
        overspend(-100);
    }

    @Test
    void concurrentReportsOfOneUsageIdRecordItOnce() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, GRANTED);
        TallyClient robot = fixtures.serviceUser(org);
        String usageId = UUID.randomUUID().toString();

        List<Reply> replies = concurrently(client -> List.of(
                fixtures.reportUsage(robot, org, account, usageId, AMOUNT)));

        assertThat(replies).filteredOn(reply -> reply.status() == 200).hasSize(1);
        replies.stream().filter(reply -> reply.status() != 200)
                .forEach(reply -> assertThat(assertError(reply, 409, 6)).as(reply.toString()).contains(usageId));
        assertThat(fixtures.balance(org, account)).isEqualTo(GRANTED - AMOUNT);
        assertThat(SERVER.entryCount(account)).isEqualTo(2);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    /**
     * {@value #CLIENTS} clients each report {@value #USAGES_PER_CLIENT} usages of {@value #AMOUNT}
     * credits, far more than the {@value #GRANTED} granted: exactly the usages that fit are
     * recorded, every other reply is "insufficient credits".
     */
    private void overspend(long creditMin) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, GRANTED);
        if (creditMin != 0) {
            Reply limits = SERVER.admin().put("/v1beta1/admin/organizations/" + org.id() + "/billing/" + account
                    + "/limits", "{\"credit_min\": \"" + creditMin + "\"}");
            assertThat(limits.status()).as(limits.toString()).isEqualTo(200);
        }
        TallyClient robot = fixtures.serviceUser(org);

        List<Reply> replies;
        try {
            replies = concurrently(client -> {
                List<Reply> own = new ArrayList<>();
                for (int i = 0; i < USAGES_PER_CLIENT; i++) {
                    TallyClient caller = client % 2 == 0 ? robot : SERVER.admin();
                    own.add(fixtures.reportUsage(caller, org, account, UUID.randomUUID().toString(), AMOUNT));
                }
                return own;
            });
        } catch (Exception e) {
            throw new AssertionError("a client failed", e);
        }

        assertThat(replies).hasSize(CLIENTS * USAGES_PER_CLIENT);
        long accepted = replies.stream().filter(reply -> reply.status() == 200).count();
        replies.stream().filter(reply -> reply.status() != 200)
                .forEach(reply -> assertThat(assertError(reply, 400)).isEqualTo("insufficient credits"));
        long balance = fixtures.balance(org, account);
        assertThat(balance).isEqualTo(GRANTED - AMOUNT * accepted);
        assertThat(balance).isGreaterThanOrEqualTo(creditMin);
        // Usages are refused only once the next one no longer fits, so the fitting ones all went through.
        assertThat(accepted).isEqualTo((GRANTED - creditMin) / AMOUNT);
        assertThat(SERVER.entryCount(account)).isEqualTo(1 + accepted);
        assertThat(SERVER.storedBalance(account)).isEqualTo(balance);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    /** Runs {@code work} on {@value #CLIENTS} threads released together; returns every reply. */
    private static List<Reply> concurrently(Together.Call<List<Reply>> work) throws Exception {
        List<Reply> replies = new ArrayList<>();
        Together.run(CLIENTS, work).forEach(replies::addAll);
        return replies;
    }
}
