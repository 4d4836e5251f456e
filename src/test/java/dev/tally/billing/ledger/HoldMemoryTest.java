package dev.tally.billing.ledger;

import dev.tally.billing.holds.HoldClient;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link HoldService} keeps in memory for captures (its {@code known} holds, counted by the
 * package's {@link HoldService#knownHoldCount}): live holds only, whoever ended one, in this
 * process or another sharing the database.
 */
class HoldMemoryTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    private static long knownHolds() {
        return SERVER.tally().holds().knownHoldCount();
    }

    @Test
    void aHoldLeavesTheProcesssMemoryOfHoldsOnceCapturedOrReleased() {
        HoldClient holds = HoldClient.funded(SERVER, 100);
        String captured = UUID.randomUUID().toString();
        String released = UUID.randomUUID().toString();
        long before = knownHolds();
        holds.create(captured, 30);
        holds.create(released, 20);
        assertThat(knownHolds()).isEqualTo(before + 2);

        assertThat(holds.capture(captured, 10L).status()).isEqualTo(200);
        assertThat(holds.release(released).status()).isEqualTo(200);
        // Each was kept for its capture and ends once: keeping it would only grow the map to its bound.
        assertThat(knownHolds()).isEqualTo(before);

        // Repeats read the rows, are answered as recorded, and bring nothing back into memory.
        assertThat(holds.capture(captured, 10L).body().path("hold").path("state").asText()).isEqualTo("captured");
        assertError(holds.capture(released, 10L), 400);
        assertThat(knownHolds()).isEqualTo(before);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(90);
        assertThat(holds.held()).isZero();
    }

    @Test
    void aCaptureThatFindsItsHoldCapturedByAnotherProcessForgetsIt() {
        HoldClient holds = HoldClient.funded(SERVER, 100);
        String id = UUID.randomUUID().toString();
        long before = knownHolds();
        assertThat(holds.create(id, 30).status()).isEqualTo(200);
        assertThat(knownHolds()).isEqualTo(before + 1);

        try (TallyServer.Peer peer = SERVER.startPeer()) {
            assertThat(holds.as(SERVER.admin().at(peer.uri())).capture(id, 10L).status()).isEqualTo(200);
        }
        Reply repeated = holds.capture(id, 10L);

        assertThat(repeated.status()).as(repeated.toString()).isEqualTo(200);
        assertThat(repeated.body().path("hold").path("captured_amount").asText()).isEqualTo("10");
        // Known to be captured now: the next repeat reads the row rather than deciding from a stale hold.
        assertThat(knownHolds()).isEqualTo(before);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(90);
    }

    @Test
    void aCaptureThatFindsItsHoldReleasedByAnotherProcessForgetsIt() {
        HoldClient holds = HoldClient.funded(SERVER, 100);
        String id = UUID.randomUUID().toString();
        long before = knownHolds();
        assertThat(holds.create(id, 30).status()).isEqualTo(200);

        try (TallyServer.Peer peer = SERVER.startPeer()) {
            assertThat(holds.as(SERVER.admin().at(peer.uri())).release(id).status()).isEqualTo(200);
        }

        assertError(holds.capture(id, 10L), 400);
        assertThat(knownHolds()).isEqualTo(before);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);
    }

    @Test
    void aRepeatedPlacementOfAnEndedHoldIsNotKept() {
        HoldClient holds = HoldClient.funded(SERVER, 100);
        String id = UUID.randomUUID().toString();
        long before = knownHolds();
        holds.create(id, 30);
        assertThat(holds.capture(id, 10L).status()).isEqualTo(200);

        Reply repeated = holds.create(id, 30);

        assertThat(repeated.status()).as(repeated.toString()).isEqualTo(200);
        assertThat(repeated.body().path("hold").path("state").asText()).isEqualTo("captured");
        assertThat(knownHolds()).isEqualTo(before);
    }
}
