package dev.tally.hostile;

import dev.tally.hostile.World.AccountRef;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Injection- and traversal-shaped strings where free text belongs (descriptions, user ids, metadata,
 * titles, names of accounts): they are data, not code. Each is stored verbatim and read back exactly;
 * the request changes exactly what it means to (one entry, one row) and nothing else, and every table
 * is still there afterwards, with every earlier row as it was.
 */
class HostileInjectionTextTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    static Stream<Arguments> hostileText() {
        return Stream.of(TextPlace.values()).flatMap(place -> Hostile.STRINGS.entrySet().stream().map(hostile ->
                Arguments.of(Named.of(place + " stores " + hostile.getKey() + " verbatim and harmlessly", place),
                        hostile.getValue())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileText")
    void hostileFreeTextIsStoredVerbatimAndChangesExactlyWhatTheRequestMeans(TextPlace place, String text) {
        AccountRef account = world.freshAccount(100);
        Probe probe = place.probe(world, account, text);

        Reply reply = probe.assertSucceeds(world, place.change(account), account);

        assertThat(place.readBack(world, account, probe, reply)).as("read back from " + place).isEqualTo(text);
        assertThat(SERVER.rowCount("billing_transactions")).as("the ledger table is still there").isPositive();
    }
}
