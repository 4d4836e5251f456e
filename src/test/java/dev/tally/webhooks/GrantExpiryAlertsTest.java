package dev.tally.webhooks;

import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant's expiry (DESIGN §13) is a debit for the alerts of DESIGN §14: the sweep that writes it
 * off fires balance.threshold and balance.depleted, at a real receiver, once per crossing, and never
 * again for a crossing a usage already reported.
 */
class GrantExpiryAlertsTest {
    private static final String THRESHOLD = "app.billing.balance.threshold";
    private static final String DEPLETED = "app.billing.balance.depleted";

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static Dispatcher dispatcher;
    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @BeforeAll
    static void startDispatcher() {
        dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST).start();
    }

    @AfterAll
    static void stopDispatcher() {
        dispatcher.close();
    }

    @Test
    void anExpiryCrossingAThresholdFiresItOnce() {
        try (Receiver receiver = new Receiver()) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), THRESHOLD);
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            Hooks.setThresholds(admin, org.id(), account, 50, 150);
            grant(org, account, 100, in(Duration.ofSeconds(60)));
            grant(org, account, 40, null);                                // 140: below 150 already

            SERVER.clock().advance(Duration.ofSeconds(61));
            sweep();                                                      // 40: crosses 50
            sweep();
            usage(org, account, 5);                                       // 35: still below

            awaitCount(receiver, THRESHOLD, account, 1);
            List<Receiver.Received> fired = of(receiver, THRESHOLD, account);
            assertThat(fired.get(0).signatureVerifies(webhook.secret())).isTrue();
            assertThat(fired.get(0).event().path("data").path("threshold").asText()).isEqualTo("50");
            assertThat(fired.get(0).event().path("data").path("balance").asText()).isEqualTo("40");
            assertThat(Hooks.outboxCount(SERVER, THRESHOLD, account)).isEqualTo(1);
        }
    }

    @Test
    void anExpiryThatLeavesNothingAvailableDepletesTheAccountOnce() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url(), DEPLETED);
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            grant(org, account, 100, in(Duration.ofSeconds(60)));
            usage(org, account, 30);                                      // 70 left on the grant

            SERVER.clock().advance(Duration.ofSeconds(61));
            sweep();                                                      // 0 = credit_min
            Reply refused = fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 1);

            ErrorAssertions.assertError(refused, 400);
            awaitCount(receiver, DEPLETED, account, 1);
            Receiver.Received depleted = of(receiver, DEPLETED, account).get(0);
            assertThat(depleted.event().path("data").path("reason").asText()).isEqualTo("credit_min_reached");
            assertThat(depleted.event().path("data").path("available").asText()).isEqualTo("0");
            assertThat(Hooks.outboxCount(SERVER, DEPLETED, account)).as("the refusal is the same crossing")
                    .isEqualTo(1);
        }
    }

    @Test
    void aCrossingAUsageReportedBeforeTheSweepIsNotReportedAgainByIt() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url(), DEPLETED);
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            grant(org, account, 100, in(Duration.ofSeconds(60)));

            SERVER.clock().advance(Duration.ofSeconds(61));
            // Expired, not written off yet: the refusal reports the depletion, the sweep does not again.
            ErrorAssertions.assertError(fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 1),
                    400);
            sweep();

            awaitCount(receiver, DEPLETED, account, 1);
            assertThat(of(receiver, DEPLETED, account).get(0).event().path("data").path("reason").asText())
                    .isEqualTo("debit_refused");
            assertThat(Hooks.outboxCount(SERVER, DEPLETED, account)).isEqualTo(1);
            assertThat(fixtures.balance(org, account)).isZero();
        }
    }

    @Test
    void anExpiryUnderALiveHoldDepletesTheAccountItLeavesBelowCreditMin() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url(), DEPLETED);
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            grant(org, account, 100, in(Duration.ofSeconds(60)));
            Reply held = admin.post(Fixtures.accountPath(org, account) + "/holds", "{\"id\":\"" + UUID.randomUUID()
                    + "\",\"amount\":\"80\",\"expires_in\":\"3600\"}");                 // available 20
            assertThat(held.status()).as(held.toString()).isEqualTo(200);

            SERVER.clock().advance(Duration.ofSeconds(61));
            sweep();                                                      // available −80

            awaitCount(receiver, DEPLETED, account, 1);
            Receiver.Received depleted = of(receiver, DEPLETED, account).get(0);
            assertThat(depleted.event().path("data").path("reason").asText()).isEqualTo("credit_min_reached");
            assertThat(depleted.event().path("data").path("available").asText()).isEqualTo("-80");
            assertThat(Hooks.outboxCount(SERVER, DEPLETED, account)).isEqualTo(1);
        }
    }

    private static Instant in(Duration duration) {
        return SERVER.clock().instant().plus(duration);
    }

    /** Writes every due expiry, as the background sweeper would (it may have written some already). */
    private static void sweep() {
        while (SERVER.tally().grantExpiry().expireDue(100) > 0) {
            // until nothing is due
        }
    }

    private void grant(Org org, String account, long amount, Instant expiresAt) {
        Reply reply = admin.post("/v1beta1/admin/organizations/" + org.id() + "/billing/" + account + "/credits",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"" + amount + "\",\"description\":\"promo\""
                        + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"") + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private void usage(Org org, String account, long amount) {
        Reply reply = fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), amount);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private static List<Receiver.Received> of(Receiver receiver, String action, String account) {
        return receiver.received(action).stream()
                .filter(request -> request.event().path("data").path("customer_id").asText().equals(account)).toList();
    }

    private static void awaitCount(Receiver receiver, String action, String account, int count) {
        assertThat(Receiver.await(() -> of(receiver, action, account).size() >= count))
                .as("%d × %s for %s; received %s", count, action, account, receiver.received()).isTrue();
    }
}
