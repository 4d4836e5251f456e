package dev.tally.billing.holds;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import dev.tally.testing.Together;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §12 under concurrency, over real HTTP from threads released together: holds never
 * reserve more than is available, a hold's captures debit once, and capture, release and expiry
 * racing on one hold end it in exactly one state.
 */
class HoldConcurrencyTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final Fixtures fixtures = new Fixtures(SERVER);

    private static HoldClient funded(long credits) {
        return HoldClient.funded(SERVER, credits);
    }

    @Test
    void concurrentHoldsNeverReserveMoreThanIsAvailable() throws Exception {
        HoldClient holds = funded(100);

        List<Reply> replies = Together.run(64, thread -> holds.create(UUID.randomUUID().toString(), 10));

        assertThat(countByStatus(replies)).as(replies.toString()).isEqualTo(Map.of(200, 10L, 400, 54L));
        replies.stream().filter(reply -> reply.status() == 400)
                .forEach(reply -> assertError(reply, 400, 3, "insufficient credits"));
        assertThat(holds.held()).isEqualTo(100);
        assertThat(holds.available()).isZero();
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);
    }

    @Test
    void concurrentCapturesOfOneHoldDebitOnce() throws Exception {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        holds.create(id, 50);

        // Two amounts, so that the balance tells which capture won and the others' answers can be checked.
        List<Reply> replies = Together.run(32, thread -> holds.capture(id, thread % 2 == 0 ? 20L : 30L));

        long winner = Long.parseLong(holds.get(id).body().path("hold").path("captured_amount").asText());
        for (int thread = 0; thread < replies.size(); thread++) {
            Reply reply = replies.get(thread);
            if ((thread % 2 == 0 ? 20L : 30L) == winner) {
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                assertThat(reply.body().path("transaction").path("amount").asText()).isEqualTo(Long.toString(winner));
            } else {
                assertError(reply, 409, 6, "hold already captured");
            }
        }
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100 - winner);
        assertThat(SERVER.entryCount(holds.account())).isEqualTo(2);
        assertThat(holds.held()).isZero();
        assertThat(SERVER.storedBalance(holds.account())).isEqualTo(SERVER.ledgerSum(holds.account()));
    }

    @Test
    void captureReleaseAndExpiryRacingEndEachHoldInOneState() throws Exception {
        HoldClient holds = funded(1_000_000);
        int captured = 0;
        Map<String, Integer> ends = new TreeMap<>();
        for (int round = 0; round < 100; round++) {
            String id = UUID.randomUUID().toString();
            assertThat(holds.create(id, 10, 1).status()).isEqualTo(200);
            // Every other round the clock reaches expires_at during the race; in the others the
            // sweeper runs but has nothing due, so capture and release race alone.
            boolean expiring = round % 2 == 1;
            List<Reply> replies = Together.run(3, thread -> switch (thread) {
                case 0 -> holds.capture(id, 7L);
                case 1 -> holds.release(id);
                default -> {
                    if (expiring) {
                        SERVER.clock().advance(Duration.ofMillis(1_000));
                    }
                    SERVER.tally().holds().expireDue(1000);
                    yield new Reply(200, null, "");
                }
            });
            SERVER.clock().advance(Duration.ofMillis(1_000));
            Reply capture = replies.get(0);
            Reply release = replies.get(1);
            String state = holds.get(id).body().path("hold").path("state").asText();
            ends.merge(state, 1, Integer::sum);
            switch (state) {
                case "captured" -> {
                    assertThat(capture.status()).as(capture.toString()).isEqualTo(200);
                    assertError(release, 400, 9);
                    captured++;
                }
                case "released" -> {
                    assertThat(release.status()).as(release.toString()).isEqualTo(200);
                    assertError(capture, 400, 9);
                }
                case "expired" -> {
                    assertError(capture, 400, 9);
                    assertError(release, 400, 9);
                }
                default -> throw new AssertionError("state " + state);
            }
        }
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(1_000_000 - 7L * captured);
        assertThat(SERVER.entryCount(holds.account())).isEqualTo(1 + captured);
        assertThat(holds.held()).isZero();
        assertThat(SERVER.storedBalance(holds.account())).isEqualTo(SERVER.ledgerSum(holds.account()));
        assertThat(ends.values().stream().mapToInt(Integer::intValue).sum()).as(ends.toString()).isEqualTo(100);
        assertThat(ends.keySet()).as("the race had more than one winner over the rounds: " + ends).hasSizeGreaterThan(1);
    }

    @Test
    void aHoldThatExpiredWhileTheServerWasStoppedIsNotCapturableAfterRestart() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        try (TallyServer.Peer first = SERVER.startPeer()) {
            HoldClient viaFirst = holds.as(SERVER.admin().at(first.uri()));
            assertThat(viaFirst.create(id, 60, 60).status()).isEqualTo(200);
        }
        SERVER.clock().advance(Duration.ofSeconds(61));
        try (TallyServer.Peer restarted = SERVER.startPeer()) {
            HoldClient viaRestarted = holds.as(SERVER.admin().at(restarted.uri()));

            assertError(viaRestarted.capture(id, null), 400, 9);
            assertThat(viaRestarted.get(id).body().path("hold").path("state").asText()).isEqualTo("expired");
            assertThat(viaRestarted.available()).isEqualTo(100);
            assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);
        }
    }

    @Test
    void sweepersInTwoProcessesMarkEachExpiredHoldOnce() throws Exception {
        HoldClient holds = funded(1_000_000);
        // Other tests' holds already due are marked first, so that the count below is this test's.
        while (SERVER.tally().holds().expireDue(1000) > 0) {
            // again
        }
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < 60; index++) {
            String id = UUID.randomUUID().toString();
            assertThat(holds.create(id, 10, 1).status()).isEqualTo(200);
            ids.add(id);
        }
        try (TallyServer.Peer peer = SERVER.startPeer()) {
            // Due only once both processes run; their own background sweepers may take part too.
            SERVER.clock().advance(Duration.ofSeconds(2));
            // Small batches, so the two processes' sweeps interleave over the same rows.
            List<Reply> marked = Together.run(8, thread -> {
                var service = thread % 2 == 0 ? SERVER.tally().holds() : peer.tally().holds();
                int total = 0;
                for (int count = service.expireDue(7); count > 0; count = service.expireDue(7)) {
                    total += count;
                }
                return new Reply(total, null, "");
            });

            // Each mark writes the hold's one hold.expired event in its transaction (DESIGN §14):
            // a row marked by two sweeps would have two, one left unmarked none.
            assertThat(marked.stream().mapToLong(Reply::status).sum()).isLessThanOrEqualTo(60);
            assertThat(SERVER.tally().holds().expireDue(1000)).isZero();
            Map<String, Long> events = expiredEvents();
            ids.forEach(id -> assertThat(events.get(id)).as("hold.expired events of " + id).isEqualTo(1L));
            ids.forEach(id -> assertThat(holds.get(id).body().path("hold").path("state").asText()).isEqualTo("expired"));
        }
    }

    /** The outbox's hold.expired events, counted by hold id. */
    private static Map<String, Long> expiredEvents() {
        return SERVER.tally().database().inTransaction(connection -> {
            Map<String, Long> counts = new TreeMap<>();
            try (var statement = connection.prepareStatement(
                    "SELECT data FROM webhook_events WHERE action = 'app.billing.hold.expired'");
                 var rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = JSON.readTree(rows.getString(1)).path("hold").path("id").asText();
                    counts.merge(id, 1L, Long::sum);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return counts;
        });
    }

    @Test
    void usageRacingHoldsNeverSpendsHeldCredits() throws Exception {
        HoldClient holds = funded(100);
        TallyClient admin = SERVER.admin();

        List<Reply> replies = Together.run(40, thread -> thread % 2 == 0
                ? holds.create(UUID.randomUUID().toString(), 10)
                : fixtures.reportUsage(admin, holds.org(), holds.account(), UUID.randomUUID().toString(), 10));

        long ok = replies.stream().filter(reply -> reply.status() == 200).count();
        assertThat(ok).as(replies.toString()).isEqualTo(10);
        long balance = fixtures.balance(holds.org(), holds.account());
        assertThat(balance - holds.held()).isZero();
        assertThat(SERVER.storedBalance(holds.account())).isEqualTo(SERVER.ledgerSum(holds.account()));
    }

    private static Map<Integer, Long> countByStatus(List<Reply> replies) {
        return replies.stream().collect(Collectors.groupingBy(Reply::status, TreeMap::new, Collectors.counting()));
    }
}
