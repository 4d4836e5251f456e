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
                change("a usage on an account nobody watches", w -> {
                    World.AccountRef unwatched = w.freshAccount(10);
                    return new Probe(w.admin, "POST", unwatched.path() + "/usages",
                            "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"}]}");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void theNothingChangedCheckNoticesARealChange(Function<World, Probe> change) {
        Probe probe = change.apply(world);
        LedgerSnapshot before = world.snapshot();

        Reply reply = probe.send();
        LedgerSnapshot after = world.snapshot();

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThatThrownBy(() -> after.assertUnchangedSince(before, probe.toString())).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> after.assertChangedSince(before, Change.none(), probe.toString()))
                .isInstanceOf(AssertionError.class);
    }
}
