package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §4 on the revert path (§6 rule 1): the account a revert acts on is resolved by the same
 * rules as usage, and every refusal leaves both organizations' ledgers as they were. Also §1: the
 * revert and the grant record the principal that made them.
 */
class RevertAccountResolutionTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final String REVERT = "/v1beta1/organizations/billing/usages/revert";

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void anOrganizationNamedByItsNameIsResolved() {
        Used used = used();

        Reply reply = admin.post(REVERT, "{\"org_id\":\"" + used.org().name() + "\",\"billing_id\":\"" + used.account()
                + "\",\"usage_id\":\"" + used.usage() + "\",\"amount\":\"4\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(fixtures.balance(used.org(), used.account())).isEqualTo(74);
    }

    @Test
    void anUnknownProjectIsNotFound() {
        Used used = used();

        Reply reply = admin.post(REVERT, "{\"project_id\":\"" + UUID.randomUUID() + "\",\"usage_id\":\"" + used.usage()
                + "\"}");

        assertError(reply, 404, 5);
        used.assertUntouched();
    }

    @Test
    void noSelectorAtAllIsInvalid() {
        Used used = used();

        Reply reply = admin.post(REVERT, "{\"usage_id\":\"" + used.usage() + "\"}");

        assertError(reply, 400, 3);
        used.assertUntouched();
    }

    @Test
    void anOrganizationWithoutAnActiveAccountIsNotFound() {
        Used used = used();
        Reply disabled = admin.post(Fixtures.accountPath(used.org(), used.account()) + "/disable", "{}");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);

        Reply reply = admin.post(REVERT, "{\"org_id\":\"" + used.org().id() + "\",\"usage_id\":\"" + used.usage() + "\"}");

        assertError(reply, 404, 5);
        used.assertUntouched();
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void organizationAWithTheBillingIdOfBIsNotFoundAndChangesNeither(RevertPath path) {
        Used a = used();
        Used b = used();

        Reply reply = path.revert(admin, a.org(), b.account(), b.usage(), null);

        assertError(reply, 404, 5);
        a.assertUntouched();
        b.assertUntouched();
        // The same usage reverted on its own organization still works: nothing was used up.
        assertThat(path.revert(admin, b.org(), b.account(), b.usage(), null).status()).isEqualTo(200);
    }

    @Test
    void theRevertAndTheGrantRecordThePrincipalThatMadeThemNotTheUsages() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String grantId = UUID.randomUUID().toString();
        Reply grant = admin.post(Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/") + "/credits",
                "{\"id\":\"" + grantId + "\",\"amount\":\"100\",\"source\":\"promo\"}");
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        TallyClient robot = fixtures.serviceUser(org);
        String usageId = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(robot, org, account, usageId, 30).status()).isEqualTo(200);

        Reply revert = RevertPath.ADMIN.revert(admin, org, account, usageId, null);

        assertThat(revert.status()).as(revert.toString()).isEqualTo(200);
        String adminPrincipal = "serviceuser:" + SERVER.serviceUserOfCredential(TallyServer.ADMIN_CLIENT_ID);
        assertThat(SERVER.entryCreatedBy(grantId)).isEqualTo(adminPrincipal);
        assertThat(SERVER.entryCreatedBy(usageId)).startsWith("serviceuser:").isNotEqualTo(adminPrincipal);
        assertThat(SERVER.entryCreatedBy(RevertPath.expectedRevertId(usageId, account))).isEqualTo(adminPrincipal);
    }

    /** An organization with one account, granted 100 and used 30 (usage {@code usage}). */
    private Used used() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 100);
        String usage = UUID.randomUUID().toString();
        assertThat(fixtures.reportUsage(admin, org, account, usage, 30).status()).isEqualTo(200);
        return new Used(org, account, usage);
    }

    private record Used(Org org, String account, String usage) {
        void assertUntouched() {
            assertThat(SERVER.storedBalance(account)).isEqualTo(70).isEqualTo(SERVER.ledgerSum(account));
            assertThat(SERVER.entryCount(account)).isEqualTo(2);
        }
    }
}
