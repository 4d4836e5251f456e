package dev.tally.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hold events of DESIGN §14, at a real receiver: hold.expired once per expired hold, written by
 * the sweep that marks it, and balance.depleted when a hold is refused for insufficient credits or
 * leaves nothing available, as a debit would.
 */
class HoldEventsTest {
    @RegisterExtension
    @Order(1)
    static final TallyServer SERVER = new TallyServer();
    @RegisterExtension
    @Order(2)
    static final RunningDispatcher DISPATCHER = new RunningDispatcher(SERVER);

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void anExpiredHoldArrivesOnceAsHoldExpiredAndEndedHoldsNever() {
        try (Receiver receiver = new Receiver()) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.hold.expired");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 100);
            String expiring = UUID.randomUUID().toString();
            String captured = UUID.randomUUID().toString();
            String released = UUID.randomUUID().toString();
            for (String id : List.of(expiring, captured, released)) {
                assertThat(hold(org, account, id, 10, 1).status()).isEqualTo(200);
            }
            assertThat(admin.post(holds(org, account) + "/" + captured + "/capture", "{}").status()).isEqualTo(200);
            assertThat(admin.post(holds(org, account) + "/" + released + "/release", "{}").status()).isEqualTo(200);

            SERVER.clock().advance(Duration.ofSeconds(2));
            sweep();
            sweep();

            receiver.awaitAtLeast(1, "app.billing.hold.expired", account);
            Receiver.Received delivery = receiver.received("app.billing.hold.expired", account).get(0);
            assertThat(delivery.signatureVerifies(webhook.secret())).isTrue();
            JsonNode data = delivery.event().path("data");
            assertThat(data.path("org_id").asText()).isEqualTo(org.id());
            assertThat(data.path("hold").path("id").asText()).isEqualTo(expiring);
            assertThat(data.path("hold").path("state").asText()).isEqualTo("expired");
            assertThat(data.path("hold").path("amount").asText()).isEqualTo("10");
            assertThat(Hooks.outboxCount(SERVER, "app.billing.hold.expired", account)).isEqualTo(1);
        }
    }

    @Test
    void aHoldThatLeavesNothingAvailableOrIsRefusedDepletesTheAccountOncePerCrossing() {
        try (Receiver receiver = new Receiver()) {
            Hooks.create(admin, receiver.url(), "app.billing.balance.depleted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 10);

            assertThat(hold(org, account, UUID.randomUUID().toString(), 10, 60).status()).isEqualTo(200); // available 0
            Reply refusedWhileDepleted = hold(org, account, UUID.randomUUID().toString(), 1, 60);
            fixtures.grant(org, account, 5);                                                     // re-armed
            Reply refused = hold(org, account, UUID.randomUUID().toString(), 6, 60);

            ErrorAssertions.assertError(refusedWhileDepleted, 400, 3, "insufficient credits");
            ErrorAssertions.assertError(refused, 400, 3, "insufficient credits");
            receiver.awaitAtLeast(2, "app.billing.balance.depleted", account);
            assertThat(Hooks.outboxCount(SERVER, "app.billing.balance.depleted", account)).isEqualTo(2);
            List<JsonNode> data = receiver.received("app.billing.balance.depleted", account).stream()
                    .map(request -> request.event().path("data")).toList();
            assertThat(data).extracting(event -> event.path("reason").asText())
                    .containsExactlyInAnyOrder("credit_min_reached", "debit_refused");
            assertThat(data).extracting(event -> event.path("balance").asText()).containsExactlyInAnyOrder("10", "15");
            assertThat(data).extracting(event -> event.path("available").asText()).containsExactlyInAnyOrder("0", "5");
        }
    }

    private void sweep() {
        while (SERVER.tally().holds().expireDue(1000) > 0) {
            // until nothing is due
        }
    }

    private Reply hold(Org org, String account, String id, long amount, long expiresInSeconds) {
        return admin.post(holds(org, account), "{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"expires_in\":\""
                + expiresInSeconds + "\"}");
    }

    private static String holds(Org org, String account) {
        return Fixtures.accountPath(org, account) + "/holds";
    }
}
