package dev.tally.billing.grants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.bench.InvariantCheck;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §13 over REST with the server's injected clock: grants' order, expiry, reverts, bad input. */
class GrantsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    /** Usages of 2 answered before the promo grant expires: 80 of its 300, so a remainder is left. */
    private static final int USAGES_BEFORE_EXPIRY = 40;
    /** Usages answered after the promo grant's expires_at and before its expiry entry is written. */
    private static final int USAGES_BEFORE_SWEEP = 40;

    private final Fixtures fixtures = new Fixtures(SERVER);

    private GrantClient account() {
        Org org = fixtures.organization();
        return new GrantClient(SERVER.admin(), org, fixtures.account(org));
    }

    private static Instant in(Duration duration) {
        return SERVER.clock().instant().plus(duration);
    }

    /** Waits (bounded) until {@code count} more usages are answered. */
    private static void awaitAnswered(Semaphore answered, int count) throws InterruptedException {
        assertThat(answered.tryAcquire(count, 60, TimeUnit.SECONDS)).as(count + " usages answered").isTrue();
    }

    private static void sweep() {
        while (SERVER.tally().grantExpiry().expireDue(100) > 0) {
            // until nothing is due
        }
    }

    @Test
    void usageBurnsDownGrantsByPriorityThenExpiryThenAge() {
        GrantClient grants = account();
        String later = grants.grant(100, null, null);                     // 50, never expires
        String soon = grants.grant(100, in(Duration.ofDays(1)), null);    // 50, expires first
        String sooner = grants.grant(100, in(Duration.ofHours(1)), 60);   // 60: after every 50
        String first = grants.grant(100, null, 10);                       // lowest priority number: first

        String usage = grants.used(250);

        assertThat(grants.allocations(usage)).containsExactly(first + ":100", soon + ":100", later + ":50");
        assertThat(grants.remaining(first)).isZero();
        assertThat(grants.grantById(first).path("state").asText()).isEqualTo("spent");
        assertThat(grants.remaining(later)).isEqualTo(50);
        assertThat(grants.remaining(sooner)).isEqualTo(100);
        assertThat(grants.grantById(sooner).path("priority").asInt()).isEqualTo(60);
        assertThat(grants.grantById(later).path("priority").asInt()).isEqualTo(50);
        assertThat(grants.grantById(sooner).path("state").asText()).isEqualTo("active");
        assertThat(grants.balance()).isEqualTo(150);
        assertInvariants();
    }

    @Test
    void aUsageSpanningThreeGrantsRecordsThreeAllocations() {
        GrantClient grants = account();
        String a = grants.grant(10, null, 1);
        String b = grants.grant(10, null, 2);
        String c = grants.grant(10, null, 3);

        String usage = grants.used(25);

        assertThat(grants.allocations(usage)).containsExactly(a + ":10", b + ":10", c + ":5");
        assertThat(grants.balance()).isEqualTo(5);
        assertInvariants();
    }

    @Test
    void anExpiredRemainderIsNotSpendableBeforeItsEntryAndExpiresOnce() {
        GrantClient grants = account();
        String promo = grants.grant(100, in(Duration.ofSeconds(60)), 0);
        String paid = grants.grant(30, null, null);
        grants.used(20); // from the promo grant: priority 0

        SERVER.clock().advance(Duration.ofSeconds(61));

        assertThat(grants.balance()).as("before any expiry entry").isEqualTo(30);
        assertThat(grants.available()).isEqualTo(30);
        assertError(grants.use(UUID.randomUUID().toString(), 31), 400);
        String usage = grants.used(30);
        assertThat(grants.allocations(usage)).containsExactly(paid + ":30");
        assertThat(grants.grantById(promo).path("state").asText()).isEqualTo("expired");

        sweep();
        sweep();

        assertThat(grants.balance()).isZero();
        assertThat(grants.remaining(promo)).isZero();
        JsonNode entries = SERVER.admin().get(Fixtures.accountPath(grants.org(), grants.account())
                + "/transactions?type=debit").body().path("transactions");
        List<JsonNode> expiries = new ArrayList<>();
        entries.forEach(entry -> {
            if (entry.path("source").asText().equals("system.expiry")) {
                expiries.add(entry);
            }
        });
        assertThat(expiries).hasSize(1);
        assertThat(expiries.get(0).path("amount").asText()).isEqualTo("80");
        assertThat(expiries.get(0).path("id").asText()).isEqualTo(
                com.fasterxml.uuid.Generators.nameBasedGenerator(UUID.fromString("967416d0-716e-4308-b58f-2468ac14f20a"))
                        .generate(promo + ":expiry").toString());
        assertThat(expiries.get(0).path("description").asText()).startsWith("Expiry: grant");
        assertThat(expiries.get(0).path("metadata").path("expired_grant_id").asText()).isEqualTo(promo);
        assertThat(expiredEvents(promo)).as("app.billing.credit.expired in the expiry's transaction").isEqualTo(1);
        assertInvariants();
    }

    @Test
    void aRevertAfterItsGrantExpiredGivesNothingSpendableBack() {
        GrantClient grants = account();
        String promo = grants.grant(100, in(Duration.ofSeconds(60)), null);
        String usage = grants.used(40);
        SERVER.clock().advance(Duration.ofSeconds(61));
        sweep();
        assertThat(grants.balance()).isZero();

        Reply reverted = grants.revert(usage);

        assertThat(reverted.status()).as(reverted.toString()).isEqualTo(200);
        assertThat(grants.balance()).isZero();
        assertThat(grants.available()).isZero();
        assertThat(grants.remaining(promo)).isZero();
        assertError(grants.use(UUID.randomUUID().toString(), 1), 400);
        assertInvariants();
    }

    @Test
    void aRevertGivesBackToTheGrantsItSpentLastSpentFirst() {
        GrantClient grants = account();
        String a = grants.grant(10, null, 1);
        String b = grants.grant(10, null, 2);
        String usage = grants.used(15);
        grants.used(5); // the rest of b

        Reply reverted = SERVER.admin().post("/v1beta1/organizations/billing/usages/revert", "{\"org_id\":\""
                + grants.org().id() + "\",\"billing_id\":\"" + grants.account() + "\",\"usage_id\":\"" + usage
                + "\",\"amount\":\"7\"}");

        assertThat(reverted.status()).as(reverted.toString()).isEqualTo(200);
        assertThat(grants.remaining(b)).isEqualTo(5);
        assertThat(grants.remaining(a)).isEqualTo(2);
        assertThat(grants.balance()).isEqualTo(7);
        assertInvariants();
    }

    @Test
    void debtUnderANegativeCreditMinIsPaidFirstByTheNextCredit() {
        GrantClient grants = account();
        Reply limits = SERVER.admin().put(Fixtures.accountPath(grants.org(), grants.account())
                .replace("/v1beta1/", "/v1beta1/admin/") + "/limits", "{\"credit_min\":\"-100\"}");
        assertThat(limits.status()).as(limits.toString()).isEqualTo(200);
        String usage = grants.used(60);
        assertThat(grants.allocations(usage)).containsExactly(":60");

        String grant = grants.grant(100, null, null);

        assertThat(grants.remaining(grant)).isEqualTo(40);
        assertThat(grants.balance()).isEqualTo(40);
        assertInvariants();
    }

    // ADR 0011, addendum: a hold reserves an amount, not grants. When the grant under a live hold
    // expires, the capture is still covered by its hold (DESIGN §12): it spends what grants remain
    // and the rest is debt, which the next credit pays first.
    @Test
    void aCaptureAfterTheGrantUnderItsHoldExpiredSucceedsAndTheUncoveredRestIsDebt() {
        GrantClient grants = account();
        String promo = grants.grant(100, in(Duration.ofSeconds(60)), 0);
        String paid = grants.grant(30, null, null);
        String holdId = UUID.randomUUID().toString();
        String holds = Fixtures.accountPath(grants.org(), grants.account()) + "/holds";
        Reply held = SERVER.admin().post(holds, "{\"id\":\"" + holdId + "\",\"amount\":\"110\",\"expires_in\":\"3600\"}");
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        assertThat(grants.available()).isEqualTo(20);

        SERVER.clock().advance(Duration.ofSeconds(61));
        sweep();
        assertThat(grants.balance()).isEqualTo(30);
        assertThat(grants.available()).as("below credit_min through the expiry alone").isEqualTo(-80);
        Reply captured = SERVER.admin().post(holds + "/" + holdId + "/capture", "{}");

        assertThat(captured.status()).as(captured.toString()).isEqualTo(200);
        assertThat(captured.body().path("hold").path("state").asText()).isEqualTo("captured");
        String capture = captured.body().path("transaction").path("id").asText();
        assertThat(grants.allocations(capture)).containsExactly(paid + ":30", ":80");
        assertThat(grants.remaining(promo)).isZero();
        assertThat(grants.balance()).isEqualTo(-80);
        assertThat(grants.available()).isEqualTo(-80);
        assertError(grants.use(UUID.randomUUID().toString(), 1), 400);
        assertInvariants();

        String next = grants.grant(100, null, null);

        assertThat(grants.remaining(next)).as("the debt is paid first").isEqualTo(20);
        assertThat(grants.balance()).isEqualTo(20);
        assertInvariants();
    }

    @Test
    void badExpiryOrPriorityIsRefusedAndChangesNothing() {
        GrantClient grants = account();
        long entries = SERVER.entryCount(grants.account());

        assertError(grants.credit(UUID.randomUUID().toString(), 10, in(Duration.ofSeconds(-1)), null), 400);
        assertError(grants.credit(UUID.randomUUID().toString(), 10, SERVER.clock().instant(), null), 400);
        assertError(grants.credit(UUID.randomUUID().toString(), 10, null, 101), 400);
        assertError(grants.credit(UUID.randomUUID().toString(), 10, null, -1), 400);
        assertError(SERVER.admin().post(Fixtures.accountPath(grants.org(), grants.account())
                .replace("/v1beta1/", "/v1beta1/admin/") + "/credits",
                "{\"amount\":\"10\",\"expires_at\":\"tomorrow\"}"), 400);
        assertError(SERVER.admin().post(Fixtures.accountPath(grants.org(), grants.account())
                .replace("/v1beta1/", "/v1beta1/admin/") + "/credits",
                "{\"amount\":\"10\",\"expires_at\":\"2999-01-01 00:00:00\"}"), 400);

        assertThat(SERVER.entryCount(grants.account())).isEqualTo(entries);
        assertThat(grants.grants()).isEmpty();
        assertThat(grants.balance()).isZero();
    }

    @Test
    void anExpiredRemainderIsNeverSpentWhileUsageIsReportedConcurrently() throws Exception {
        GrantClient grants = account();
        String promo = grants.grant(300, in(Duration.ofSeconds(30)), 0);
        String paid = grants.grant(1_000, null, null);
        // 16 clients make 320 usages of 2, let through in three steps whatever the threads' timing:
        // some before the promo grant's expires_at; some after it, before this test sweeps (the
        // server's own sweeper, every 10 s, may write the expiry entry at any moment); the rest racing
        // the sweep. Every usage after expires_at must leave the remainder alone, written or not.
        Semaphore letThrough = new Semaphore(0);
        Semaphore answered = new Semaphore(0);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<String> usages = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int client = 0; client < 16; client++) {
                clients.add(pool.submit(() -> {
                    for (int call = 0; call < 20; call++) {
                        letThrough.acquire();
                        String id = UUID.randomUUID().toString();
                        if (grants.use(id, 2).status() == 200) {
                            usages.add(id);
                        }
                        answered.release();
                    }
                    return null;
                }));
            }
            letThrough.release(USAGES_BEFORE_EXPIRY);
            awaitAnswered(answered, USAGES_BEFORE_EXPIRY);
            SERVER.clock().advance(Duration.ofSeconds(31)); // the promo grant expires mid-run
            letThrough.release(USAGES_BEFORE_SWEEP);
            awaitAnswered(answered, USAGES_BEFORE_SWEEP);
            letThrough.release(16 * 20 - USAGES_BEFORE_EXPIRY - USAGES_BEFORE_SWEEP);
            sweep();
            for (Future<?> client : clients) {
                client.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        sweep();

        long fromPromo = 0;
        for (String usage : usages) {
            for (String allocation : grants.allocations(usage)) {
                if (allocation.startsWith(promo)) {
                    fromPromo += Long.parseLong(allocation.substring(allocation.indexOf(':') + 1));
                }
            }
        }
        JsonNode promoGrant = grants.grantById(promo);
        assertThat(promoGrant.path("remaining").asLong(0)).isZero();
        // What was not spent before expires_at expired; nothing expired was spent after it.
        assertThat(fromPromo).as("spent from the promo grant").isEqualTo(2L * USAGES_BEFORE_EXPIRY);
        assertThat(expiredOf(promo) + fromPromo).isEqualTo(300);
        assertThat(usages).hasSize(320);
        assertThat(grants.balance()).isEqualTo(1_000 + 300 - 640 - expiredOf(promo));
        assertThat(grants.remaining(paid)).isEqualTo(grants.balance());
        assertInvariants();
    }

    @Test
    void invariantsHoldAfterSixteenConcurrentClients() throws Exception {
        List<GrantClient> accounts = List.of(account(), account());
        for (GrantClient grants : accounts) {
            grants.grant(200, in(Duration.ofSeconds(5)), 0);
            grants.grant(200, null, 90);
        }
        AtomicLong reverted = new AtomicLong();
        Together.run(16, number -> {
            GrantClient grants = accounts.get(number % 2);
            for (int call = 0; call < 15; call++) {
                String id = UUID.randomUUID().toString();
                if (grants.use(id, 3).status() == 200 && call % 3 == 0
                        && grants.revert(id).status() == 200) {
                    reverted.incrementAndGet();
                }
                if (number == 0 && call == 7) {
                    SERVER.clock().advance(Duration.ofSeconds(6));
                }
                if (call % 5 == 0) {
                    // 30 s out: client 0 moves the clock 6 s at any moment, and a grant must
                    // still be in the future when it arrives (these expire at the final step).
                    grants.grant(5, in(Duration.ofSeconds(30)), number % 101);
                    sweep();
                }
            }
            return null;
        });
        assertThat(reverted.get()).isPositive();
        SERVER.clock().advance(Duration.ofSeconds(60));
        sweep();
        assertInvariants();
    }

    private static long expiredEvents(String grantId) {
        return SERVER.tally().database().inTransaction(connection -> {
            try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM webhook_events"
                    + " WHERE action = 'app.billing.credit.expired' AND data LIKE ?")) {
                statement.setString(1, "%" + grantId + "%");
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private long expiredOf(String grantId) {
        return SERVER.tally().database().inTransaction(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT expired FROM billing_grants WHERE id = '" + UUID.fromString(grantId) + "'")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /** InvariantCheck's rules, and every debit written since grants exist has its allocations. */
    static void assertInvariants() {
        SERVER.tally().database().inTransaction(connection -> {
            InvariantCheck.Result result = InvariantCheck.check(connection);
            assertThat(result.violations()).as(result.toString()).isZero();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM billing_transactions t"
                         + " WHERE t.type = 'debit' AND NOT EXISTS"
                         + " (SELECT 1 FROM billing_allocations l WHERE l.entry_id = t.id)")) {
                rows.next();
                assertThat(rows.getLong(1)).as("debits without allocations").isZero();
            }
            return null;
        });
    }
}
