package dev.tally.ops;

import dev.tally.storage.Database;
import dev.tally.testing.ChildTally;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM under load (DESIGN §15), on a real process: every request that reached the server is answered
 * (its result, or 503 once the shutdown began), no acknowledged usage is lost, none unacknowledged is
 * applied, and the process exits 0. Requests made after the port closed get "connection refused", which is
 * what a load balancer retries elsewhere.
 */
class GracefulShutdownTest {
    private static final int CLIENTS = 8;
    private static final long GRANT = 1_000_000;

    @Test
    void sigtermUnderLoadAnswersEveryRequestLosesNothingAndExitsZero() throws Exception {
        String adminSecret = "admin-" + UUID.randomUUID();
        try (ChildTally child = ChildTally.start(adminSecret, Map.of("TALLY_SHUTDOWN_GRACE_SECONDS", "20"))) {
            TallyClient admin = child.admin();
            String org = ok(admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"acme\",\"title\":\"Acme\"}}"))
                    .body().path("organization").path("id").asText();
            String account = ok(admin.post("/v1beta1/organizations/" + org + "/billing",
                    "{\"body\":{\"name\":\"main\",\"email\":\"b@acme.test\"}}")).body().path("billing_account").path("id")
                    .asText();
            ok(admin.post("/v1beta1/admin/organizations/" + org + "/billing/" + account + "/credits",
                    "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":" + GRANT + ",\"source\":\"promo\"}"));
            URI usages = child.uri().resolve("/v1beta1/organizations/" + org + "/billing/" + account + "/usages");
            String authorization = TallyClient.basic(ChildTally.ADMIN_CLIENT_ID, adminSecret);

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> refused = ConcurrentHashMap.newKeySet();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            AtomicBoolean portClosed = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int index = 0; index < CLIENTS; index++) {
                clients.add(Thread.ofPlatform().name("load-" + index).start(() ->
                        load(usages, authorization, acknowledged, refused, unexpected, portClosed)));
            }
            while (acknowledged.size() < 200 && unexpected.isEmpty()) {
                Thread.sleep(50);
            }
            int acknowledgedBeforeSignal = acknowledged.size();
            int exitStatus = child.terminate(Duration.ofSeconds(60));
            portClosed.set(true);
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(60));
                assertThat(client.isAlive()).as("a caller was left hanging").isFalse();
            }

            assertThat(exitStatus).as(child.output()).isZero();
            assertThat(unexpected).as("replies other than an answer or 503").isEmpty();
            assertThat(acknowledged.size()).isGreaterThanOrEqualTo(acknowledgedBeforeSignal);
            assertThat(child.output()).contains("Shut down cleanly");
            try (Database database = child.openDatabase()) {
                Set<String> applied = usageIds(database, account);
                assertThat(difference(acknowledged, applied)).as("acknowledged but lost").isEmpty();
                assertThat(difference(applied, acknowledged)).as("applied but not acknowledged").isEmpty();
                assertThat(balance(database, account)).isEqualTo(GRANT - acknowledged.size());
            }
            assertThat(refused).doesNotContainAnyElementsOf(acknowledged);
        }
    }

    /** Reports one-credit usages until the port is closed; sorts every outcome. */
    private static void load(URI usages, String authorization, Set<String> acknowledged, Set<String> refused,
                             List<String> unexpected, AtomicBoolean portClosed) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        while (true) {
            String usageId = UUID.randomUUID().toString();
            HttpRequest request = HttpRequest.newBuilder(usages)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"usages\":[{\"id\":\"" + usageId
                            + "\",\"amount\":1,\"source\":\"api\"}]}", StandardCharsets.UTF_8))
                    .build();
            try {
                HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (reply.statusCode() == 200) {
                    acknowledged.add(usageId);
                } else if (reply.statusCode() == 503 && reply.body().contains("\"code\":14")) {
                    refused.add(usageId);
                } else {
                    unexpected.add(reply.statusCode() + " " + reply.body());
                }
            } catch (ConnectException closed) {
                return; // the port is closed: the process is gone or going
            } catch (IOException e) {
                if (!portClosed.get()) {
                    // A keep-alive connection closed by the server as it shut down, before it read the
                    // request: the client retries on a new connection, as HTTP clients do.
                    continue;
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Set<String> difference(Set<String> from, Set<String> without) {
        Set<String> left = new HashSet<>(from);
        left.removeAll(without);
        return left;
    }

    private static Set<String> usageIds(Database database, String account) {
        return database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id FROM billing_transactions WHERE account_id = ? AND type = 'debit'")) {
                statement.setObject(1, UUID.fromString(account));
                try (ResultSet rows = statement.executeQuery()) {
                    Set<String> ids = new HashSet<>();
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                    return ids;
                }
            }
        });
    }

    private static long balance(Database database, String account) {
        return database.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT balance FROM billing_accounts WHERE id = ?")) {
                statement.setObject(1, UUID.fromString(account));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static Reply ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }
}
