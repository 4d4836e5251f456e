package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class UsageAndRevertSmokeTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void usageDebitsAndRevertGivesBack() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String usageId = UUID.randomUUID().toString();

        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, usageId, 30);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        assertThat(fixtures.balance(org, account)).isEqualTo(70);

        Reply revert = SERVER.admin().post("/v1beta1/organizations/billing/usages/revert",
                "{\"org_id\":\"" + org.id() + "\",\"usage_id\":\"" + usageId + "\"}");
        assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
        assertThat(revert.rawBody()).isEqualTo("{}");
        assertThat(fixtures.balance(org, account)).isEqualTo(100);
        assertThat(SERVER.storedBalance(account)).isEqualTo(SERVER.ledgerSum(account));
    }
}
