package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A usage id is any uuid the caller picks, so it can equal the derived id of another usage's revert.
 * The refusal must then say what happened, not claim the usage was reverted.
 */
class RevertIdCollisionTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void aUsageHoldingTheDerivedRevertIdIsNotMistakenForARevert() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        TallyClient robot = fixtures.serviceUser(org);
        String usageId = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(robot, org, account, usageId, 10).status()).isEqualTo(200);
        String squatter = RevertPath.expectedRevertId(usageId, account);
        assertThat(fixtures.reportUsage(robot, org, account, squatter, 1).status()).isEqualTo(200);

        Reply revert = RevertPath.ADMIN.revert(SERVER.admin(), org, account, usageId, null);

        assertThat(revert.status()).as(revert.toString()).isEqualTo(409);
        assertThat(revert.text("message")).doesNotContain("already reverted").contains(squatter);
        assertThat(fixtures.balance(org, account)).isEqualTo(89);
    }

    @Test
    void aGrantWithoutItsOwnIdButWithAnIdempotencyKeyCreditsOnceWhenRunAgain() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String key = "grant-" + UUID.randomUUID();
        TallyClient admin = SERVER.admin().withHeader("Idempotency-Key", key);
        String path = Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/") + "/credits";

        Reply first = admin.post(path, "{\"amount\":\"100\",\"source\":\"promo\"}");
        // What a retry does once the key was released (a 5xx) or taken over (a crash): it runs again.
        SERVER.tally().database().inTransaction(connection -> {
            connection.createStatement().executeUpdate("DELETE FROM idempotency_keys");
            return null;
        });
        Reply again = admin.post(path, "{\"amount\":\"100\",\"source\":\"promo\"}");

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().path("transaction").path("id").asText())
                .isEqualTo(first.body().path("transaction").path("id").asText());
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
    }
}
