package dev.tally.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each billing event of DESIGN §14 is written with its change and arrives at a real receiver,
 * signed; thresholds and depletion fire once per crossing.
 */
class BillingEventsTest {
    @RegisterExtension
    @Order(1)
    static final TallyServer SERVER = new TallyServer();
    @RegisterExtension
    @Order(2)
    static final RunningDispatcher DISPATCHER = new RunningDispatcher(SERVER);

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void aGrantArrivesSignedWithTheWebhooksHeadersAndFrontiersEnvelope() {
        try (Receiver receiver = new Receiver()) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.credit.granted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);

            fixtures.grant(org, account, 100);

            receiver.awaitAtLeast(1, "app.billing.credit.granted", account);
            Receiver.Received delivery = receiver.received("app.billing.credit.granted", account).get(0);
            JsonNode event = delivery.event();
            assertThat(delivery.signatureVerifies(webhook.secret())).as(delivery.headers().toString()).isTrue();
            assertThat(delivery.signatureVerifies("00".repeat(32))).isFalse();
            assertThat(delivery.headers()).containsEntry("x-tenant", "acme");
            assertThat(delivery.headers().get("content-type")).startsWith("application/json");
            assertThat(event.path("id").asText()).matches("[0-9a-f-]{36}");
            assertThat(java.time.Instant.parse(event.path("created_at").asText())).isBetween(
                    java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.Instant.parse("2026-01-01T00:00:01Z"));
            assertThat(event.path("metadata").isObject()).isTrue();
            assertThat(event.path("data").path("org_id").asText()).isEqualTo(org.id());
            assertThat(event.path("data").path("transaction").path("amount").asText()).isEqualTo("100");
            assertThat(event.path("data").path("transaction").path("type").asText()).isEqualTo("credit");
            assertThat(event.path("data").path("balance").asText()).isEqualTo("100");
        }
    }

    @Test
    void aRevertArrivesAsUsageRevertedNamingTheUsage() {
        try (Receiver receiver = new Receiver()) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url());
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 100);
            String usageId = UUID.randomUUID().toString();
            assertThat(fixtures.reportUsage(admin, org, account, usageId, 40).status()).isEqualTo(200);

            Reply revert = admin.post("/v1beta1/admin/organizations/" + org.id() + "/billing/" + account + "/usage/"
                    + usageId + "/revert", "{\"amount\":\"15\"}");

            assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
            receiver.awaitAtLeast(1, "app.billing.usage.reverted", account);
            Receiver.Received delivery = receiver.received("app.billing.usage.reverted", account).get(0);
            assertThat(delivery.signatureVerifies(webhook.secret())).isTrue();
            assertThat(delivery.event().path("data").path("usage_id").asText()).isEqualTo(usageId);
            assertThat(delivery.event().path("data").path("transaction").path("amount").asText()).isEqualTo("15");
            assertThat(delivery.event().path("data").path("balance").asText()).isEqualTo("75");
        }
    }

    @Test
    void disablingEnablingAndNewLimitsArriveOncePerChange() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url());
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            String path = Fixtures.accountPath(org, account);

            admin.post(path + "/disable", "{}");
            admin.post(path + "/disable", "{}"); // no change: no event
            admin.post(path + "/enable", "{}");
            admin.put("/v1beta1/admin/organizations/" + org.id() + "/billing/" + account + "/limits",
                    "{\"credit_min\":\"-50\"}");

            receiver.awaitAtLeast(1, "app.billing.account.disabled", account);
            receiver.awaitAtLeast(1, "app.billing.account.enabled", account);
            receiver.awaitAtLeast(1, "app.billing.limits.updated", account);
            assertThat(receiver.received("app.billing.limits.updated", account).get(0).event().path("data")
                    .path("credit_min").asText()).isEqualTo("-50");
            assertThat(Hooks.outboxCount(SERVER, "app.billing.account.disabled", account)).isEqualTo(1);
        }
    }

    @Test
    void aThresholdFiresOncePerCrossingAndRearmsWhenTheBalanceRisesAgain() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url(), "app.billing.balance.threshold");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            Hooks.setThresholds(admin, org.id(), account, 50);
            fixtures.grant(org, account, 100);

            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 30); // 70
            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 30); // 40: crosses 50
            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 10); // 30: still below
            fixtures.grant(org, account, 50);                                            // 80: re-armed
            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 40); // 40: crosses again

            receiver.awaitAtLeast(2, "app.billing.balance.threshold", account);
            List<Receiver.Received> fired = receiver.received("app.billing.balance.threshold", account);
            assertThat(fired).extracting(request -> request.event().path("data").path("balance").asText())
                    .containsExactly("40", "40");
            assertThat(fired).extracting(request -> request.event().path("data").path("threshold").asText())
                    .containsOnly("50");
            assertThat(Hooks.outboxCount(SERVER, "app.billing.balance.threshold", account)).isEqualTo(2);
        }
    }

    @Test
    void depletionFiresOncePerCrossingWhetherReachedOrRefused() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url(), "app.billing.balance.depleted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 10);

            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 10); // 0 = credit_min
            Reply refused = fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 5);
            fixtures.grant(org, account, 5);                                             // 5: re-armed
            fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 6);  // refused: fires

            ErrorAssertions.assertError(refused, 400);
            receiver.awaitAtLeast(2, "app.billing.balance.depleted", account);
            assertThat(receiver.received("app.billing.balance.depleted", account))
                    .extracting(request -> request.event().path("data").path("reason").asText())
                    .containsExactlyInAnyOrder("credit_min_reached", "debit_refused");
            assertThat(Hooks.outboxCount(SERVER, "app.billing.balance.depleted", account)).isEqualTo(2);
        }
    }

    @Test
    void thresholdsAndDepletionFireOncePerCrossingUnderSixteenConcurrentClients() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        Hooks.setThresholds(admin, org.id(), account, 500, 250, 10);
        fixtures.grant(org, account, 1000);

        int applied = concurrently(16, 12, () -> fixtures.reportUsage(admin, org, account,
                UUID.randomUUID().toString(), 5));     // 960 in all: 1000 → 40, crossing 500 and 250
        int appliedWhenShort = concurrently(16, 2, () -> fixtures.reportUsage(admin, org, account,
                UUID.randomUUID().toString(), 50));    // 40 < 50: every one refused

        assertThat(applied).isEqualTo(16 * 12);
        assertThat(appliedWhenShort).isZero();
        assertThat(fixtures.balance(org, account)).isEqualTo(40);
        assertThat(Hooks.outboxCount(SERVER, "app.billing.balance.threshold", account)).isEqualTo(2);
        assertThat(Hooks.outboxCount(SERVER, "app.billing.balance.depleted", account)).isEqualTo(1);
    }

    /** Runs {@code calls} calls on each of {@code clients} threads at once; returns how many got a 200. */
    private static int concurrently(int clients, int calls, java.util.function.Supplier<Reply> call)
            throws Exception {
        List<Integer> oks = Together.run(clients, client -> {
            int ok = 0;
            for (int index = 0; index < calls; index++) {
                ok += call.get().status() == 200 ? 1 : 0;
            }
            return ok;
        });
        return oks.stream().mapToInt(Integer::intValue).sum();
    }
}
