package dev.tally.hostile;

import dev.tally.hostile.LedgerSnapshot.Change;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The "nothing changed" check of every hostile case is only worth something if it notices a change.
 * Each case here makes one real, small change and expects {@link LedgerSnapshot} to see it.
 */
class HostileSnapshotSelfTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    private static Arguments change(String sentence, Function<World, Probe> change) {
        return Arguments.of(Named.of("the snapshot notices " + sentence, change));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("a grant of 1 credit on a watched account", w -> Probe.to(Endpoint.ADD_CREDITS, w.a, w.admin)
                        .withBody("{\"amount\":\"1\"}")),
                change("a usage of 1 credit on the other watched account", w -> Probe.to(Endpoint.USAGE_ON_ACCOUNT_PATH,
                        w.b, w.admin)),
                change("an account disabled without any entry", w -> Probe.to(Endpoint.DISABLE_BILLING_ACCOUNT, w.b, w.admin)),
                change("a new limit without any entry", w -> Probe.to(Endpoint.UPDATE_LIMITS, w.a, w.admin)),
                change("a new organization", w -> Probe.to(Endpoint.CREATE_ORGANIZATION, w.a, w.admin)),
                change("a new credential", w -> Probe.to(Endpoint.CREATE_CREDENTIAL, w.a, w.admin)),
                // A refusal under a key is recorded for replay (only changes take a key), and nothing else is.
                change("a refused usage recorded under an Idempotency-Key, which changes no other table",
                        w -> new Probe(w.admin.withHeader("Idempotency-Key", UUID.randomUUID().toString()), "POST",
                                w.a.accountRef().path() + "/usages", "{\"usages\":[{\"id\":\"" + UUID.randomUUID()
                                + "\",\"amount\":\"1000000000000000\"}]}")),
                change("a usage on an account nobody watches", w -> {
                    World.AccountRef unwatched = w.freshAccount(10);
                    return new Probe(w.admin, "POST", unwatched.path() + "/usages",
                            "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"}]}");
                }));
    }

    @org.junit.jupiter.api.Test
    void onATouchedAccountOnlyTheColumnsTheChangeNamesMayMove() {
        World.AccountRef account = world.freshAccount(10);
        LedgerSnapshot before = world.snapshot(account);

        Reply disabled = world.admin.post(account.path() + "/disable", "{}");
        LedgerSnapshot after = world.snapshot(account);

        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        after.assertChangedSince(before, Change.none().touches(account.accountId(), "state").audited(), "disable");
        assertThatThrownBy(() -> after.assertChangedSince(before,
                Change.none().touches(account.accountId(), "credit_min").audited(), "disable, checked as a limit change"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> after.assertChangedSince(before,
                Change.none().entries(account.accountId(), 0, 0).audited(), "disable, checked as a ledger change"))
                .isInstanceOf(AssertionError.class);
    }

    @org.junit.jupiter.api.Test
    void aTouchedAccountsStoredBalanceMustMoveByExactlyTheChangesDelta() {
        World.AccountRef account = world.freshAccount(10);
        LedgerSnapshot before = world.snapshot(account);

        Reply used = world.admin.post(account.path() + "/usages",
                "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"3\"}]}");
        LedgerSnapshot after = world.snapshot(account);

        assertThat(used.status()).as(used.toString()).isEqualTo(200);
        after.assertChangedSince(before, Change.none().entries(account.accountId(), 1, -3), "usage of 3");
        assertThatThrownBy(() -> after.assertChangedSince(before, Change.none().entries(account.accountId(), 1, -2),
                "usage of 3, checked as 2")).isInstanceOf(AssertionError.class);
    }

    @org.junit.jupiter.api.Test
    void everyTableOfTheSchemaIsWatched() {
        assertThat(SERVER.schemaTables()).contains("organizations", "projects", "billing_accounts",
                "billing_transactions", "service_users", "service_user_credentials", "idempotency_keys");
        assertThat(world.snapshot().tables().keySet()).containsExactlyElementsOf(SERVER.schemaTables());
        assertThat(Probe.schemaMarkers()).contains("billing_transactions_revert_once", "organizations_name_unique",
                "idempotency_keys");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void theNothingChangedCheckNoticesARealChange(Function<World, Probe> change) {
        Probe probe = change.apply(world);
        LedgerSnapshot before = world.snapshot();

        Reply reply = probe.send();
        LedgerSnapshot after = world.snapshot();

        // Each change is accepted, except the refusal whose only trace is its recorded Idempotency-Key.
        assertThat(reply.status()).as(reply.toString()).isIn(200, 400);
        assertThatThrownBy(() -> after.assertUnchangedSince(before, probe.toString())).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> after.assertChangedSince(before, Change.none(), probe.toString()))
                .isInstanceOf(AssertionError.class);
    }
}
