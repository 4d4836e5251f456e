package dev.tally.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpStatus;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery from the outbox to a real receiver: retries, give-up, timeouts, the log, several dispatchers. */
class DispatcherTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    private Reply log(String webhookId, String query) {
        Reply reply = admin.get("/v1beta1/admin/webhooks/" + webhookId + "/deliveries" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }

    private JsonNode onlyDelivery(String webhookId) {
        JsonNode deliveries = log(webhookId, "").body().path("deliveries");
        assertThat(deliveries.size()).as(deliveries.toString()).isEqualTo(1);
        return deliveries.get(0);
    }

    /** The state of the webhook's one delivery, or "" while it has none. */
    private String deliveryState(String webhookId) {
        JsonNode deliveries = log(webhookId, "").body().path("deliveries");
        return deliveries.size() == 1 ? deliveries.get(0).path("state").asText() : "";
    }

    private void delete(Hooks.Created webhook) {
        admin.send("DELETE", "/v1beta1/admin/webhooks/" + webhook.id(), null);
    }

    @Test
    void aReceiverFailingThreeTimesGetsTheEventFourTimesWithOneIdAndGrowingWaits() {
        Duration base = Duration.ofMillis(200);
        Dispatcher dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST.withBackoff(base, Duration.ofHours(1)))
                .start();
        AtomicInteger answered = new AtomicInteger();
        try (Receiver receiver = new Receiver().answering(request ->
                answered.incrementAndGet() <= 3 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.OK)) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.credit.granted");
            Org org = fixtures.organization();
            fixtures.grant(org, fixtures.account(org), 10);

            assertThat(Receiver.await(() -> receiver.received().size() == 4
                    && deliveryState(webhook.id()).equals("delivered"))).isTrue();
            List<Receiver.Received> attempts = receiver.received();
            assertThat(attempts).extracting(Receiver.Received::id).containsOnly(attempts.get(0).id());
            assertThat(attempts).allMatch(attempt -> attempt.signatureVerifies(webhook.secret()));
            assertThat(attempts).extracting(Receiver.Received::body).containsOnly(attempts.get(0).body());
            for (int retry = 1; retry < attempts.size(); retry++) {
                long waitedMillis = (attempts.get(retry).receivedAtNanos() - attempts.get(retry - 1).receivedAtNanos())
                        / 1_000_000;
                // 200, 400, 800 ms at least (stored times have microsecond precision: a little slack)
                assertThat(waitedMillis).as("wait before retry %d", retry)
                        .isGreaterThanOrEqualTo(base.toMillis() * (1L << (retry - 1)) - 5);
            }
            JsonNode delivery = onlyDelivery(webhook.id());
            assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
            assertThat(delivery.path("last_status").asInt()).isEqualTo(200);
            assertThat(delivery.path("event_id").asText()).isEqualTo(attempts.get(0).id());
            delete(webhook);
        } finally {
            dispatcher.close();
        }
    }

    @Test
    void aDeliveryStillFailingWhenItsRetryWindowEndsIsMarkedFailed() {
        Dispatcher dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).withRetryWindow(Duration.ofMillis(800)))
                .start();
        try (Receiver receiver = new Receiver().answering(request -> HttpStatus.SERVICE_UNAVAILABLE)) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.credit.granted");
            Org org = fixtures.organization();
            fixtures.grant(org, fixtures.account(org), 10);

            assertThat(Receiver.await(() -> deliveryState(webhook.id()).equals("failed"))).isTrue();
            int attempts = receiver.received().size();
            JsonNode delivery = onlyDelivery(webhook.id());
            assertThat(delivery.path("last_status").asInt()).isEqualTo(503);
            assertThat(delivery.path("last_error").asText()).isEqualTo("HTTP 503");
            assertThat(delivery.path("attempts").asInt()).isEqualTo(attempts).isBetween(2, 6);
            assertThat(log(webhook.id(), "?state=failed").body().path("deliveries").size()).isEqualTo(1);
            assertThat(log(webhook.id(), "?state=pending").body().path("deliveries").size()).isZero();
            sleep(500);
            assertThat(receiver.received()).hasSize(attempts);
            delete(webhook);
        } finally {
            dispatcher.close();
        }
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotDelayUsage() {
        Dispatcher dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15))).start();
        try (Receiver receiver = new Receiver().hanging(true)) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.usage.created",
                    "app.billing.credit.granted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            fixtures.grant(org, account, 1_000);
            assertThat(Receiver.await(() -> !receiver.received().isEmpty())).isTrue();

            long slowestMillis = 0;
            for (int usage = 0; usage < 30; usage++) {
                long start = System.nanoTime();
                Reply reply = fixtures.reportUsage(admin, org, account, UUID.randomUUID().toString(), 1);
                slowestMillis = Math.max(slowestMillis, (System.nanoTime() - start) / 1_000_000);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            }

            // Each attempt hangs for its whole 5 s here (10 s in production); no usage waited for one.
            assertThat(slowestMillis).isLessThan(4_000);
            assertThat(fixtures.balance(org, account)).isEqualTo(970);
            assertThat(Receiver.await(() -> log(webhook.id(), "?state=pending").body().path("deliveries").findValues(
                    "last_error").stream().anyMatch(error -> error.asText().equals("no answer within 5000 ms"))))
                    .isTrue();
            delete(webhook);
        } finally {
            dispatcher.close();
        }
    }

    @Test
    void twoDispatchersOnOneDatabaseNeverDeliverOneEventTwiceAtOnce() {
        Dispatcher first = SERVER.tally().webhooks().dispatcher(Hooks.FAST).start();
        Dispatcher second = SERVER.tally().webhooks().dispatcher(Hooks.FAST).start();
        try (Receiver receiver = new Receiver().delaying(Duration.ofMillis(150))) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.credit.granted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            for (int grant = 0; grant < 40; grant++) {
                fixtures.grant(org, account, 1);
            }

            assertThat(Receiver.await(() -> log(webhook.id(), "?state=delivered&page_size=100").body()
                    .path("deliveries").size() == 40)).isTrue();
            Map<String, Integer> timesById = new ConcurrentHashMap<>();
            receiver.received().forEach(request -> timesById.merge(request.id(), 1, Integer::sum));
            assertThat(receiver.overlaps()).isZero();
            assertThat(timesById).hasSize(40);
            assertThat(timesById.values()).containsOnly(1);
            delete(webhook);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void theDeliveryLogPagesByStateAndRedeliverSendsTheSameEventAgain() {
        Dispatcher dispatcher = SERVER.tally().webhooks().dispatcher(Hooks.FAST).start();
        try (Receiver receiver = new Receiver()) {
            Hooks.Created webhook = Hooks.create(admin, receiver.url(), "app.billing.credit.granted");
            Org org = fixtures.organization();
            String account = fixtures.account(org);
            for (int grant = 0; grant < 5; grant++) {
                fixtures.grant(org, account, 1);
            }
            assertThat(Receiver.await(() -> log(webhook.id(), "?state=delivered").body().path("deliveries").size()
                    == 5)).isTrue();

            Set<String> paged = new HashSet<>();
            List<Integer> pageSizes = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            String token = "";
            do {
                Reply page = log(webhook.id(), "?page_size=2" + (token.isEmpty() ? "" : "&page_token=" + token));
                page.body().path("deliveries").forEach(delivery -> paged.add(delivery.path("event_id").asText()));
                pageSizes.add(page.body().path("deliveries").size());
                token = page.text("next_page_token");
                tokens.add(token);
            } while (!token.isEmpty());
            String eventId = paged.iterator().next();
            Reply redelivered = admin.post("/v1beta1/admin/webhooks/" + webhook.id() + "/deliveries/" + eventId
                    + "/redeliver", "{}");

            assertThat(pageSizes).containsExactly(2, 2, 1);
            assertThat(paged).hasSize(5);
            assertThat(log(webhook.id(), "?state=failed").body().path("deliveries").size()).isZero();
            assertThat(redelivered.status()).as(redelivered.toString()).isEqualTo(200);
            assertThat(Receiver.await(() -> receiver.received().stream().filter(request -> request.id()
                    .equals(eventId)).count() == 2)).isTrue();
            ErrorAssertions.assertError(admin.post("/v1beta1/admin/webhooks/" + webhook.id() + "/deliveries/"
                    + UUID.randomUUID() + "/redeliver", "{}"), 404, 5);
            ErrorAssertions.assertError(admin.get("/v1beta1/admin/webhooks/" + webhook.id()
                    + "/deliveries?state=lost"), 400, 3);
            ErrorAssertions.assertError(admin.get("/v1beta1/admin/webhooks/" + webhook.id()
                    + "/deliveries?page_token=garbage"), 400, 3);
            assertThat(ErrorAssertions.assertError(admin.get("/v1beta1/admin/webhooks/" + webhook.id()
                    + "/deliveries?state=failed&page_token=" + tokens.get(0)), 400, 3))
                    .isEqualTo("page_token: issued for another state filter");
            Hooks.Created otherWebhook = Hooks.create(admin, receiver.url() + "/other", "app.billing.credit.granted");
            assertThat(ErrorAssertions.assertError(admin.get("/v1beta1/admin/webhooks/" + otherWebhook.id()
                    + "/deliveries?page_token=" + tokens.get(0)), 400, 3))
                    .isEqualTo("page_token: issued for another webhook");
            delete(otherWebhook);
            ErrorAssertions.assertError(admin.get("/v1beta1/admin/webhooks/" + webhook.id()
                    + "/deliveries?page_size=501"), 400, 3);
            ErrorAssertions.assertError(admin.get("/v1beta1/admin/webhooks/" + UUID.randomUUID()
                    + "/deliveries"), 404, 5);
            delete(webhook);
        } finally {
            dispatcher.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
