package dev.tally.hostile;

import dev.tally.hostile.Probe.Expect;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * DESIGN §2: a body that is not valid JSON is a 400 INVALID_ARGUMENT on every endpoint that reads one,
 * and nothing of the request is applied. Each endpoint gets the same six ways of breaking its own
 * valid body: not JSON, an object left open, single quotes, a trailing comma, cut in half, and cut
 * one character short.
 */
class HostileJsonSyntaxTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    /** How each case breaks an endpoint's valid body, by the sentence that names it. */
    private static final Map<String, UnaryOperator<String>> BREAKAGES = new LinkedHashMap<>();

    static {
        BREAKAGES.put("a body that is not JSON at all", valid -> "amount=5&org_id=x");
        BREAKAGES.put("an object left open after a key", valid -> "{\"amount\":");
        BREAKAGES.put("keys and strings in single quotes", valid -> "{'amount':'1','org_id':'x'}");
        BREAKAGES.put("its valid body with a trailing comma", valid -> valid.substring(0, valid.length() - 1) + ",}");
        BREAKAGES.put("its valid body cut in half", valid -> valid.substring(0, valid.length() / 2));
        BREAKAGES.put("its valid body without the closing brace", valid -> valid.substring(0, valid.length() - 1));
    }

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    static Stream<Arguments> brokenBodies() {
        return Endpoint.withBody().stream().flatMap(endpoint -> BREAKAGES.keySet().stream().map(breakage ->
                Arguments.of(Named.of(endpoint + " refuses " + breakage + " and changes nothing", endpoint), breakage)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void aBodyThatIsNotValidJsonIsInvalidArgumentAndChangesNothing(Endpoint endpoint, String breakage) {
        Probe valid = Probe.to(endpoint, world.a, world.admin);
        String broken = BREAKAGES.get(breakage).apply(valid.body());

        valid.withBody(broken).assertRefused(world, Expect.INVALID);
    }
}
