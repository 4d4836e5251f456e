package dev.tally.webhooks;

import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook helpers for tests: creating webhooks through the API, reading the outbox. */
final class Hooks {
    /** Fast enough for tests: 20 ms polls, 100 ms first backoff, 2 s attempts. */
    static final DispatcherSettings FAST = DispatcherSettings.DEFAULTS
            .withPollInterval(Duration.ofMillis(20))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(6));

    /** A created webhook: its id and its secret (shown once, at create). */
    record Created(String id, String secret) {}

    private Hooks() {}

    static Created create(TallyClient admin, String url, String... events) {
        String subscribed = Arrays.stream(events).map(event -> "\"" + event + "\"").collect(Collectors.joining(","));
        Reply reply = admin.post("/v1beta1/admin/webhooks", "{\"body\":{\"url\":\"" + url
                + "\",\"headers\":{\"X-Tenant\":\"acme\"},\"subscribed_events\":[" + subscribed + "]}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return new Created(reply.body().path("webhook").path("id").asText(),
                reply.body().path("webhook").path("secrets").get(0).path("value").asText());
    }

    /** How many events of {@code action} the outbox holds for one account. */
    static long outboxCount(TallyServer server, String action, String accountId) {
        return server.tally().database().inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM webhook_events WHERE action = ? AND data LIKE ?")) {
                statement.setString(1, action);
                statement.setString(2, "%\"customer_id\":\"" + accountId + "\"%");
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    static void setThresholds(TallyClient admin, String orgId, String accountId, long... thresholds) {
        String values = Arrays.stream(thresholds).mapToObj(Long::toString).collect(Collectors.joining(","));
        Reply reply = admin.put("/v1beta1/admin/organizations/" + orgId + "/billing/" + accountId + "/alerts",
                "{\"balance_thresholds\":[" + values + "]}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
}
