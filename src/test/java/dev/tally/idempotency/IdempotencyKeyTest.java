package dev.tally.idempotency;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Safe retries: a POST with an Idempotency-Key applies once and its first answer is replayed. */
class IdempotencyKeyTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aRetriedUsageAfterALostResponseAppliesOnceAndGetsTheFirstAnswer() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String path = Fixtures.accountPath(org, account) + "/usages";
        String body = usage(UUID.randomUUID(), 30);
        String key = UUID.randomUUID().toString();

        // The first attempt is written and its connection closed before any answer is read, as
        // when a client's connection drops; the server still serves it.
        sendAndHangUp(path, body, key);
        waitUntil(() -> fixtures.balance(org, account) == 70);

        HttpResponse<String> retry = HTTP.send(request(path, body, key), HttpResponse.BodyHandlers.ofString());

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("{}");
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(fixtures.balance(org, account)).isEqualTo(70);
        assertThat(SERVER.entryCount(account)).isEqualTo(2);
    }

    @Test
    void aRetriedRevertGetsTheFirstAnswerNotAConflict() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String usageId = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(SERVER.admin(), org, account, usageId, 40).status()).isEqualTo(200);
        String revert = "{\"org_id\":\"" + org.id() + "\",\"usage_id\":\"" + usageId + "\"}";
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = send("/v1beta1/organizations/billing/usages/revert", revert, key);
        HttpResponse<String> second = send("/v1beta1/organizations/billing/usages/revert", revert, key);
        HttpResponse<String> withoutKey = send("/v1beta1/organizations/billing/usages/revert", revert, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(withoutKey.statusCode()).isEqualTo(409);
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
    }

    @Test
    void aReplayedGrantReturnsTheSameTransaction() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String path = Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/") + "/credits";
        String key = "grant-" + UUID.randomUUID();

        HttpResponse<String> first = send(path, "{\"amount\":\"25\",\"source\":\"promo\"}", key);
        HttpResponse<String> second = send(path, "{\"amount\":\"25\",\"source\":\"promo\"}", key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(fixtures.balance(org, account)).isEqualTo(25);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflictAndChangesNothing() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String path = Fixtures.accountPath(org, account) + "/usages";
        String key = UUID.randomUUID().toString();
        assertThat(send(path, usage(UUID.randomUUID(), 10), key).statusCode()).isEqualTo(200);

        HttpResponse<String> other = send(path, usage(UUID.randomUUID(), 10), key);

        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(other.body()).contains("\"code\":6").contains("different request");
        assertThat(fixtures.balance(org, account)).isEqualTo(90);
    }

    @Test
    void keysAreScopedToThePrincipal() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        TallyClient robot = fixtures.serviceUser(org);
        String key = "shared-key-" + UUID.randomUUID();
        String path = Fixtures.accountPath(org, account) + "/usages";

        assertThat(send(path, usage(UUID.randomUUID(), 10), key).statusCode()).isEqualTo(200);
        Reply fromRobot = robot.withHeader("Idempotency-Key", key).post(path, usage(UUID.randomUUID(), 5));

        assertThat(fromRobot.status()).as(fromRobot.toString()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(85);
    }

    @Test
    void concurrentTwinsApplyOnceAndTheOthersAreToldItIsInFlightOrGetTheAnswer() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 1_000);
        String path = Fixtures.accountPath(org, account) + "/usages";
        String body = usage(UUID.randomUUID(), 10);
        String key = UUID.randomUUID().toString();
        List<HttpResponse<String>> done = sendConcurrently(16, path, body, key);
        Map<Integer, Long> byStatus = done.stream()
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertThat(byStatus.keySet()).isSubsetOf(200, 409);
        assertThat(byStatus).containsKey(200);
        done.stream().filter(reply -> reply.statusCode() == 200)
                .forEach(reply -> assertThat(reply.body()).isEqualTo("{}"));
        // Without the key layer the twins would be told "already exists" (6); with it, "in flight" (10).
        done.stream().filter(reply -> reply.statusCode() == 409)
                .forEach(reply -> assertThat(reply.body()).contains("\"code\":10"));
        assertThat(fixtures.balance(org, account)).isEqualTo(990);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }

    @Test
    void aKeyIsKeptForTwentyFourHoursAndThenForgotten() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String path = Fixtures.accountPath(org, account) + "/usages";
        String key = UUID.randomUUID().toString();
        assertThat(send(path, usage(UUID.randomUUID(), 10), key).statusCode()).isEqualTo(200);

        SERVER.clock().advance(Duration.ofHours(23));
        HttpResponse<String> withinRetention = send(path, usage(UUID.randomUUID(), 10), key);
        SERVER.clock().advance(Duration.ofHours(2));
        int purged = SERVER.tally().idempotency().purgeExpired();
        HttpResponse<String> afterRetention = send(path, usage(UUID.randomUUID(), 10), key);

        assertThat(withinRetention.statusCode()).isEqualTo(409);
        assertThat(purged).isPositive();
        assertThat(afterRetention.statusCode()).as(afterRetention.body()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(80);
    }

    @Test
    void aKeyPastItsRetentionIsForgottenEvenBeforeThePurgeRuns() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String path = Fixtures.accountPath(org, account) + "/usages";
        String key = UUID.randomUUID().toString();
        assertThat(send(path, usage(UUID.randomUUID(), 10), key).statusCode()).isEqualTo(200);

        // No purge runs: a server that was down, or between two hourly purges.
        SERVER.clock().advance(IdempotencyService.RETENTION.plusMinutes(1));
        HttpResponse<String> afterRetention = send(path, usage(UUID.randomUUID(), 10), key);

        assertThat(afterRetention.statusCode()).as(afterRetention.body()).isEqualTo(200);
        assertThat(afterRetention.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(fixtures.balance(org, account)).isEqualTo(80);
    }

    @Test
    void aMalformedKeyIsRejectedAndTheRequestIsNotRun() throws Exception {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String path = Fixtures.accountPath(org, account) + "/usages";

        // The account can pay for the usage, so only the key can be the reason for a refusal.
        HttpResponse<String> tooLong = send(path, usage(UUID.randomUUID(), 1), "x".repeat(256));
        HttpResponse<String> withSpace = send(path, usage(UUID.randomUUID(), 1), "two words");
        HttpResponse<String> fine = send(path, usage(UUID.randomUUID(), 1), "x".repeat(255));

        for (HttpResponse<String> refused : List.of(tooLong, withSpace)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("\"code\":3").contains("Idempotency-Key");
        }
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(99);
        assertThat(SERVER.entryCount(account)).isEqualTo(2);
    }

    @Test
    void concurrentTwinsOfARequestWithoutIdsOfItsOwnCreateOneThing() throws Exception {
        // Creating a billing account has no id of the caller's: without the key, every twin would
        // create an account. With it, one runs and the others replay its answer or are told to wait.
        Org org = fixtures.organization();
        String path = "/v1beta1/organizations/" + org.id() + "/billing";
        String body = "{\"body\":{\"name\":\"twin\",\"email\":\"twin@example.com\"}}";
        String key = UUID.randomUUID().toString();
        List<HttpResponse<String>> done = sendConcurrently(16, path, body, key);

        List<HttpResponse<String>> created = done.stream().filter(reply -> reply.statusCode() == 200).toList();
        assertThat(created).as("at least the first twin is answered 200").isNotEmpty();
        assertThat(created).extracting(HttpResponse::body).containsOnly(created.get(0).body());
        done.stream().filter(reply -> reply.statusCode() != 200).forEach(reply -> {
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(409);
            assertThat(reply.body()).contains("\"code\":10");
        });
        HttpResponse<String> retry = send(path, body, key);
        assertThat(retry.body()).isEqualTo(created.get(0).body());
        assertThat(SERVER.admin().get(path).body().path("billing_accounts")).hasSize(1);
    }

    private static List<HttpResponse<String>> sendConcurrently(int twins, String path, String body, String key)
            throws Exception {
        return Together.run(twins, twin -> send(path, body, key));
    }

    private static String usage(UUID id, long amount) {
        return "{\"usages\":[{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"source\":\"api\"}]}";
    }

    private static HttpResponse<String> send(String path, String body, String key) throws Exception {
        return HTTP.send(request(path, body, key), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String path, String body, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(SERVER.uri() + path.substring(1)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header("Idempotency-Key", key);
        }
        return builder.build();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    private static void sendAndHangUp(String path, String body, String key) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Idempotency-Key: " + key + "\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        try (Socket socket = new Socket(SERVER.uri().getHost(), SERVER.uri().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
        }
    }
}
