package dev.tally.billing;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** The requests DESIGN §6 rejects (rules 1 to 5), on both revert routes; a rejection changes nothing. */
class RevertTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private final Fixtures fixtures = new Fixtures(SERVER);

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void usageIdThatIsNotAUuidIsRejected(RevertPath path) {
        Charged charged = chargedAccount();
        Snapshot before = snapshot(charged.account());

        Reply reply = path.revert(SERVER.admin(), charged.org(), charged.account(), "not-a-uuid", null);

        assertError(reply, 400, 3);
        assertUnchanged(charged.account(), before);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void unknownUsageIsNotFound(RevertPath path) {
        Charged charged = chargedAccount();
        Snapshot before = snapshot(charged.account());

        Reply reply = path.revert(SERVER.admin(), charged.org(), charged.account(), UUID.randomUUID().toString(), null);

        assertError(reply, 404, 5);
        assertUnchanged(charged.account(), before);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void usageOfAnotherOrganizationIsAnsweredLikeAnUnknownUsage(RevertPath path) {
        Charged charged = chargedAccount();
        Org otherOrg = fixtures.organization();
        String otherAccount = fixtures.account(otherOrg);
        fixtures.grant(otherOrg, otherAccount, 100);
        Snapshot before = snapshot(charged.account());
        Snapshot otherBefore = snapshot(otherAccount);

        Reply foreign = path.revert(SERVER.admin(), otherOrg, otherAccount, charged.usageId(), null);
        String unknownId = UUID.randomUUID().toString();
        Reply unknown = path.revert(SERVER.admin(), otherOrg, otherAccount, unknownId, null);

        assertError(foreign, 404, 5);
        assertThat(foreign.rawBody().replace(charged.usageId(), "<id>"))
                .isEqualTo(unknown.rawBody().replace(unknownId, "<id>"));
        assertUnchanged(charged.account(), before);
        assertUnchanged(otherAccount, otherBefore);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void usageOfAnotherAccountOfTheSameOrganizationIsAnsweredLikeAnUnknownUsage(RevertPath path) {
        Charged charged = chargedAccount();
        String secondAccount = fixtures.account(charged.org());
        Snapshot before = snapshot(charged.account());
        Snapshot secondBefore = snapshot(secondAccount);

        Reply foreign = path.revert(SERVER.admin(), charged.org(), secondAccount, charged.usageId(), null);
        String unknownId = UUID.randomUUID().toString();
        Reply unknown = path.revert(SERVER.admin(), charged.org(), secondAccount, unknownId, null);

        assertError(foreign, 404, 5);
        assertThat(foreign.rawBody().replace(charged.usageId(), "<id>"))
                .isEqualTo(unknown.rawBody().replace(unknownId, "<id>"));
        assertUnchanged(charged.account(), before);
        assertUnchanged(secondAccount, secondBefore);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertingAGrantIsRejected(RevertPath path) {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String grantId = UUID.randomUUID().toString();
        Reply grant = SERVER.admin().post("/v1beta1/admin/organizations/" + org.id() + "/billing/" + account
                + "/credits", "{\"id\":\"" + grantId + "\",\"amount\":\"100\",\"source\":\"promo\"}");
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        Snapshot before = snapshot(account);

        Reply reply = path.revert(SERVER.admin(), org, account, grantId, null);

        assertError(reply, 400, 9, "only usage can be reverted");
        assertUnchanged(account, before);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertingARevertIsRejected(RevertPath path) {
        Charged charged = chargedAccount();
        Reply first = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(), null);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        String revertId = RevertPath.expectedRevertId(charged.usageId(), charged.account());
        Snapshot before = snapshot(charged.account());

        Reply reply = path.revert(SERVER.admin(), charged.org(), charged.account(), revertId, null);

        assertError(reply, 400, 9, "only usage can be reverted");
        assertUnchanged(charged.account(), before);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void negativeAmountIsRejected(RevertPath path) {
        Charged charged = chargedAccount();
        Snapshot before = snapshot(charged.account());

        Reply reply = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(), -1L);

        assertError(reply, 400, 3);
        assertUnchanged(charged.account(), before);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void amountGreaterThanTheUsageIsRejected(RevertPath path) {
        Charged charged = chargedAccount();
        Snapshot before = snapshot(charged.account());

        Reply reply = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(),
                Charged.USAGE + 1);

        assertError(reply, 400, 3, "revert amount is greater than the usage amount");
        assertUnchanged(charged.account(), before);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertingTwiceIsRejected(RevertPath path) {
        Charged charged = chargedAccount();
        Reply first = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(), null);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        Snapshot before = snapshot(charged.account());

        Reply second = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(), null);

        assertError(second, 409, 6, "usage already reverted");
        assertUnchanged(charged.account(), before);
        assertThat(fixtures.balance(charged.org(), charged.account())).isEqualTo(Charged.GRANT);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void revertingTheRestAfterAPartialRevertIsRejected(RevertPath path) {
        Charged charged = chargedAccount();
        Reply partial = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(), 10L);
        assertThat(partial.status()).as(partial.toString()).isEqualTo(200);
        Snapshot before = snapshot(charged.account());

        Reply rest = path.revert(SERVER.admin(), charged.org(), charged.account(), charged.usageId(),
                Charged.USAGE - 10);

        assertError(rest, 409, 6, "usage already reverted");
        assertUnchanged(charged.account(), before);
        assertThat(fixtures.balance(charged.org(), charged.account())).isEqualTo(Charged.GRANT - Charged.USAGE + 10);
    }

    @ParameterizedTest
    @EnumSource(RevertPath.class)
    void serviceUserIsForbiddenToRevert(RevertPath path) {
        Charged charged = chargedAccount();
        Snapshot before = snapshot(charged.account());

        Reply reply = path.revert(fixtures.serviceUser(charged.org()), charged.org(), charged.account(),
                charged.usageId(), null);

        assertError(reply, 403, 7);
        assertUnchanged(charged.account(), before);
    }

    @Test
    void namingBothOrganizationAndProjectIsRejected() {
        Charged charged = chargedAccount();
        Reply project = SERVER.admin().post("/v1beta1/projects", "{\"body\":{\"name\":\"p-"
                + UUID.randomUUID() + "\",\"title\":\"P\",\"org_id\":\"" + charged.org().id() + "\"}}");
        assertThat(project.status()).as(project.toString()).isEqualTo(200);
        Snapshot before = snapshot(charged.account());

        Reply reply = SERVER.admin().post("/v1beta1/organizations/billing/usages/revert",
                "{\"org_id\":\"" + charged.org().id() + "\",\"project_id\":\""
                        + project.body().path("project").path("id").asText() + "\",\"usage_id\":\""
                        + charged.usageId() + "\"}");

        assertError(reply, 400, 3, "both project_id and org_id cannot be provided");
        assertUnchanged(charged.account(), before);
    }

    /** An account granted {@link #GRANT} credits and charged one usage of {@link #USAGE}. */
    private record Charged(Org org, String account, String usageId) {
        static final long GRANT = 100;
        static final long USAGE = 30;
    }

    private Charged chargedAccount() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, Charged.GRANT);
        String usageId = UUID.randomUUID().toString();
        Reply usage = fixtures.reportUsage(SERVER.admin(), org, account, usageId, Charged.USAGE);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return new Charged(org, account, usageId);
    }

    private record Snapshot(long storedBalance, long entryCount) {}

    private static Snapshot snapshot(String account) {
        return new Snapshot(SERVER.storedBalance(account), SERVER.entryCount(account));
    }

    private static void assertUnchanged(String account, Snapshot before) {
        assertThat(snapshot(account)).isEqualTo(before);
        assertThat(SERVER.ledgerSum(account)).isEqualTo(before.storedBalance());
    }
}
