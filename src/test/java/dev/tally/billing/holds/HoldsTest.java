package dev.tally.billing.holds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §12 over REST: the life of a hold, what it does to the balance, and bad input. */
class HoldsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    private static HoldClient funded(long credits) {
        return HoldClient.funded(SERVER, credits);
    }

    @Test
    void aHoldReservesCreditsThatUsageAndEntitlementCannotSpend() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();

        Reply created = holds.create(id, 70);

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode hold = created.body().path("hold");
        assertThat(hold.path("state").asText()).isEqualTo("held");
        assertThat(hold.path("amount").asText()).isEqualTo("70");
        assertThat(hold.path("source").asText()).isEqualTo("jobs");
        assertThat(hold.path("customer_id").asText()).isEqualTo(holds.account());
        assertThat(java.time.Instant.parse(hold.path("expires_at").asText()))
                .isEqualTo(java.time.Instant.parse(hold.path("created_at").asText()).plusSeconds(900));
        assertThat(holds.held()).isEqualTo(70);
        assertThat(holds.available()).isEqualTo(30);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);

        assertError(fixtures.reportUsage(SERVER.admin(), holds.org(), holds.account(),
                UUID.randomUUID().toString(), 31), 400);
        assertThat(fixtures.reportUsage(SERVER.admin(), holds.org(), holds.account(),
                UUID.randomUUID().toString(), 30).status()).isEqualTo(200);
        assertThat(entitled(holds, 1)).isFalse();
        assertError(holds.create(UUID.randomUUID().toString(), 1), 400);
        assertThat(SERVER.storedBalance(holds.account())).isEqualTo(SERVER.ledgerSum(holds.account()));
    }

    @Test
    void aCaptureDebitsWhatWasUsedAndReleasesTheRest() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        holds.create(id, 60);

        Reply captured = holds.capture(id, 25L);

        assertThat(captured.status()).as(captured.toString()).isEqualTo(200);
        assertThat(captured.body().path("hold").path("state").asText()).isEqualTo("captured");
        assertThat(captured.body().path("hold").path("captured_amount").asText()).isEqualTo("25");
        assertThat(captured.body().path("hold").path("usage_id").asText()).isEqualTo(id);
        JsonNode transaction = captured.body().path("transaction");
        assertThat(transaction.path("id").asText()).isEqualTo(id);
        assertThat(transaction.path("amount").asText()).isEqualTo("25");
        assertThat(transaction.path("type").asText()).isEqualTo("debit");
        assertThat(transaction.path("source").asText()).isEqualTo("jobs");
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(75);
        assertThat(holds.held()).isZero();
        assertThat(holds.available()).isEqualTo(75);

        Reply again = holds.capture(id, 25L);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(captured.body());
        assertError(holds.capture(id, 24L), 409);
        assertError(holds.capture(id, null), 409);
        assertError(holds.release(id), 400);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(75);
        assertThat(SERVER.entryCount(holds.account())).isEqualTo(2);

        // A capture is a usage like any other: revertible once.
        Reply revert = SERVER.admin().post("/v1beta1/organizations/billing/usages/revert",
                "{\"org_id\":\"" + holds.org().id() + "\",\"billing_id\":\"" + holds.account()
                        + "\",\"usage_id\":\"" + id + "\"}");
        assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);
    }

    @Test
    void aCaptureOfNothingEndsTheHoldWithoutADebit() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        holds.create(id, 60);

        Reply captured = holds.capture(id, 0L);

        assertThat(captured.status()).as(captured.toString()).isEqualTo(200);
        assertThat(captured.body().path("hold").path("state").asText()).isEqualTo("captured");
        assertThat(captured.body().has("transaction")).isFalse();
        assertThat(SERVER.entryCount(holds.account())).isEqualTo(1);
        assertThat(holds.available()).isEqualTo(100);
    }

    @Test
    void aCaptureIsCoveredByItsHoldOnADisabledAccount() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        holds.create(id, 60);
        assertThat(SERVER.admin().post(Fixtures.accountPath(holds.org(), holds.account()) + "/disable", "{}")
                .status()).isEqualTo(200);

        assertThat(holds.capture(id, null).status()).isEqualTo(200);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(40);
        assertError(holds.create(UUID.randomUUID().toString(), 1), 400, 9);
    }

    @Test
    void aReleaseFreesTheCreditsAndAnswersTheSameAgain() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        holds.create(id, 60);

        Reply released = holds.release(id);

        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(released.body().path("hold").path("state").asText()).isEqualTo("released");
        assertThat(holds.available()).isEqualTo(100);
        assertThat(holds.release(id).body()).isEqualTo(released.body());
        assertError(holds.capture(id, null), 400, 9);
        assertThat(SERVER.entryCount(holds.account())).isEqualTo(1);
    }

    @Test
    void aHoldExpiresAtItsExpiryWithoutTheSweeper() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        assertThat(holds.create(id, 60, 5).status()).isEqualTo(200);
        SERVER.clock().advance(Duration.ofSeconds(4));
        assertThat(holds.available()).isEqualTo(40);

        SERVER.clock().advance(Duration.ofSeconds(1));

        assertThat(holds.available()).isEqualTo(100);
        assertThat(holds.get(id).body().path("hold").path("state").asText()).isEqualTo("expired");
        assertError(holds.capture(id, null), 400, 9);
        assertError(holds.release(id), 400, 9);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);
        // Marked by this sweep, or by the server's own sweeper if it ran meanwhile: the row says expired.
        SERVER.tally().holds().expireDue(1000);
        assertThat(SERVER.tableRows("billing_holds").get(id)).containsEntry("state", "expired");
        assertThat(holds.get(id).body().path("hold").path("state").asText()).isEqualTo("expired");
        assertError(holds.capture(id, null), 400, 9);
    }

    @Test
    void theSameIdAgainAnswersTheSameHoldAndAnotherAmountIsAConflict() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        Reply first = holds.create(id, 60);

        assertThat(holds.create(id, 60).body()).isEqualTo(first.body());
        assertError(holds.create(id, 61), 409);
        HoldClient other = funded(100);
        assertError(other.create(id, 60), 409);
        assertThat(holds.held()).isEqualTo(60);
        assertThat(other.held()).isZero();
    }

    @Test
    void holdsAreListedNewestFirstInPagesAndFilteredByState() {
        HoldClient holds = funded(1_000);
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < 5; index++) {
            String id = UUID.randomUUID().toString();
            holds.create(id, 10);
            ids.add(0, id);
            SERVER.clock().advance(Duration.ofMillis(1));
        }
        holds.release(ids.get(0));

        List<String> listed = new ArrayList<>();
        String token = "";
        do {
            Reply page = SERVER.admin().get(holds.holds() + "?page_size=2" + (token.isEmpty() ? "" : "&page_token=" + token));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body().path("holds").size()).isLessThanOrEqualTo(2);
            page.body().path("holds").forEach(hold -> listed.add(hold.path("id").asText()));
            token = page.body().path("next_page_token").asText("");
        } while (!token.isEmpty());

        assertThat(listed).isEqualTo(ids);
        Reply held = SERVER.admin().get(holds.holds() + "?state=held");
        assertThat(held.body().path("holds").size()).isEqualTo(4);
        assertError(SERVER.admin().get(holds.holds() + "?state=lost"), 400);
        assertError(SERVER.admin().get(holds.holds() + "?page_token=bm90IGEgdG9rZW4"), 400);
        HoldClient other = funded(10);
        Reply first = SERVER.admin().get(holds.holds() + "?page_size=1");
        assertError(SERVER.admin().get(other.holds() + "?page_token=" + first.body().path("next_page_token").asText()),
                400);
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        HoldClient holds = funded(100);
        String id = UUID.randomUUID().toString();
        holds.create(id, 60);
        HoldClient other = funded(100);
        String foreignId = UUID.randomUUID().toString();
        other.create(foreignId, 10);
        Map<String, Map<String, Map<String, String>>> before = snapshot();

        assertError(holds.create(UUID.randomUUID().toString(), 0), 400);
        assertError(holds.create(UUID.randomUUID().toString(), -5), 400);
        assertError(holds.create(UUID.randomUUID().toString(), 10, 0), 400);
        assertError(holds.create(UUID.randomUUID().toString(), 10, 604_801), 400);
        assertError(holds.create(UUID.randomUUID().toString(), 10, -1), 400);
        assertError(holds.create("not-a-uuid", 10), 400);
        assertError(holds.capture(id, 61L), 400);
        assertError(holds.capture(id, -1L), 400);
        assertError(holds.client().post(holds.holds() + "/" + id + "/capture", "{\"usage_id\":\"nope\"}"), 400);
        String unknown = assertError(holds.capture(UUID.randomUUID().toString(), null), 404);
        String foreign = assertError(holds.capture(foreignId, null), 404);
        assertError(holds.release(foreignId), 404);
        assertError(holds.get(foreignId), 404);
        assertThat(foreign.replace(foreignId, "X")).isEqualTo(unknown.replaceAll("[0-9a-f-]{36}", "X"));

        assertThat(snapshot()).isEqualTo(before);
        assertThat(holds.held()).isEqualTo(60);
        assertThat(fixtures.balance(holds.org(), holds.account())).isEqualTo(100);
    }

    @Test
    void serviceUsersHoldInTheirOrganizationOnly() {
        HoldClient holds = funded(100);
        HoldClient own = holds.as(fixtures.serviceUser(holds.org()));
        String id = UUID.randomUUID().toString();
        assertThat(own.create(id, 10).status()).isEqualTo(200);
        assertThat(own.capture(id, 4L).status()).isEqualTo(200);
        String second = UUID.randomUUID().toString();
        assertThat(own.create(second, 10).status()).isEqualTo(200);
        assertThat(own.release(second).status()).isEqualTo(200);

        HoldClient stranger = holds.as(fixtures.serviceUser(fixtures.organization()));
        String third = UUID.randomUUID().toString();
        holds.create(third, 10);
        Map<String, Map<String, Map<String, String>>> before = snapshot();
        assertError(stranger.create(UUID.randomUUID().toString(), 10), 403);
        assertError(stranger.capture(third, null), 403);
        assertError(stranger.release(third), 403);
        assertError(stranger.get(third), 403);
        assertThat(snapshot()).isEqualTo(before);
    }

    /** Every row of every data table, holds included: to show a request changed nothing. */
    private static Map<String, Map<String, Map<String, String>>> snapshot() {
        Map<String, Map<String, Map<String, String>>> tables = new TreeMap<>();
        SERVER.schemaTables().forEach(table -> tables.put(table, SERVER.tableRows(table)));
        return tables;
    }

    private static boolean entitled(HoldClient holds, long amount) {
        Reply reply = SERVER.admin().post("/v1beta1/billing/check",
                "{\"org_id\":\"" + holds.org().id() + "\",\"amount\":\"" + amount + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().path("status").asBoolean();
    }
}
