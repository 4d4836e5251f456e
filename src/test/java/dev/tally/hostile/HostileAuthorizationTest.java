package dev.tally.hostile;

import dev.tally.hostile.LedgerSnapshot.Change;
import dev.tally.hostile.Probe.Expect;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §7: a missing or wrong Authorization header is a 401 UNAUTHENTICATED on every endpoint, in
 * the one error shape, whatever shape the header has (empty, garbage, bad base64, wrong secret, one
 * scheme's value under the other, very long), and nothing is applied. The scheme's case does not
 * matter: a valid credential works under "basic", "BASIC" or "bAsIc".
 */
class HostileAuthorizationTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Each wrong header, by the words that name it, built from organization A's valid credential. */
    private static final Map<String, Function<World.Side, String>> WRONG = new LinkedHashMap<>();

    static {
        WRONG.put("an empty header", s -> "");
        WRONG.put("a header of spaces", s -> "   ");
        WRONG.put("a word that is no scheme", s -> "garbage");
        WRONG.put("Basic with a value that is not base64", s -> "Basic !!!not*base64!!!");
        WRONG.put("Basic with base64 of a value without a colon", s -> "Basic " + base64("no-colon-here"));
        WRONG.put("Basic with the right id and a wrong secret", s -> TallyClient.basic(s.clientId(), "wrong-secret"));
        WRONG.put("Basic with the right id and the secret in upper case", s -> TallyClient.basic(s.clientId(),
                s.secret().toUpperCase()));
        WRONG.put("Basic with an unknown id and the right secret", s -> TallyClient.basic("no-such-client", s.secret()));
        WRONG.put("Basic with an empty id and the right secret", s -> TallyClient.basic("", s.secret()));
        WRONG.put("Basic with the right id and an empty secret", s -> TallyClient.basic(s.clientId(), ""));
        WRONG.put("Basic with a NUL after the right secret", s -> TallyClient.basic(s.clientId(), s.secret() + "\0"));
        WRONG.put("Basic with the right id and another service user's secret",
                s -> TallyClient.basic(s.clientId(), world.b.secret()));
        WRONG.put("Basic with the admin's id and a service user's secret",
                s -> TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, s.secret()));
        WRONG.put("Basic glued to its value without a space", s -> "Basic" + base64(s.clientId() + ":" + s.secret()));
        WRONG.put("Bearer with nothing after it", s -> "Bearer ");
        WRONG.put("Bearer with a wrong secret", s -> "Bearer wrong-secret");
        WRONG.put("Bearer with a valid Basic value", s -> "Bearer " + base64(s.clientId() + ":" + s.secret()));
        WRONG.put("Basic with a valid Bearer value", s -> "Basic " + s.secret());
        WRONG.put("an unknown scheme with a valid secret", s -> "Token " + s.secret());
        WRONG.put("Bearer with the valid secret and more words", s -> "Bearer " + s.secret() + " extra");
        WRONG.put("a Bearer header of 2 KiB", s -> "Bearer " + "A".repeat(2048));
        WRONG.put("a Bearer header of 7 KiB", s -> "Bearer " + "A".repeat(7 * 1024));
        WRONG.put("a Basic header of 16 KiB", s -> "Basic " + "A".repeat(16 * 1024));
    }

    static Stream<Arguments> wrongHeaders() {
        return Stream.of(Endpoint.GET_BALANCE, Endpoint.USAGE_ON_ACCOUNT_PATH).flatMap(endpoint ->
                WRONG.keySet().stream().map(header -> Arguments.of(Named.of(endpoint + " answers " + header
                        + " with 401 and changes nothing", endpoint), header)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongHeaders")
    void aWrongAuthorizationHeaderIsUnauthenticatedAndChangesNothing(Endpoint endpoint, String header) {
        TallyClient client = world.admin.withAuthorization(WRONG.get(header).apply(world.a));

        Probe.to(endpoint, world.a, client).assertRefused(world, Expect.UNAUTHENTICATED);
    }

    @ParameterizedTest(name = "{0} without an Authorization header answers 401 and changes nothing")
    @EnumSource(Endpoint.class)
    void noAuthorizationHeaderIsUnauthenticatedOnEveryEndpointAndChangesNothing(Endpoint endpoint) {
        Probe.to(endpoint, world.a, SERVER.anonymous()).assertRefused(world, Expect.UNAUTHENTICATED);
    }

    static Stream<Arguments> schemesInAnyCase() {
        return Stream.of("basic", "BASIC", "bAsIc", "bearer", "BEARER", "bEaReR").flatMap(scheme ->
                Stream.of(Endpoint.GET_BALANCE, Endpoint.USAGE_ON_ACCOUNT_PATH).map(endpoint -> Arguments.of(
                        Named.of(endpoint + " accepts a valid credential under the scheme \"" + scheme + "\"", endpoint),
                        scheme)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemesInAnyCase")
    void aValidCredentialWorksWhateverTheCaseOfItsScheme(Endpoint endpoint, String scheme) {
        String value = scheme.equalsIgnoreCase("basic")
                ? base64(world.a.clientId() + ":" + world.a.secret()) : world.a.secret();
        Probe probe = Probe.to(endpoint, world.a, world.admin.withAuthorization(scheme + " " + value));
        Change change = endpoint == Endpoint.GET_BALANCE
                ? Change.none() : Change.none().entries(world.a.account(), 1, -1);

        Reply reply = probe.assertSucceeds(world, change);

        if (endpoint == Endpoint.USAGE_ON_ACCOUNT_PATH) {
            String usageId = TextPlace.usageId(probe);
            assertThat(SERVER.entryCreatedBy(usageId)).as("the usage is recorded as the service user's")
                    .isEqualTo("serviceuser:" + world.a.serviceUser());
        } else {
            assertThat(reply.body().path("balance").path("amount").isTextual()).as(reply.toString()).isTrue();
        }
    }

    @ParameterizedTest(name = "the admin's credential under the scheme \"{0}\" adds credits exactly once")
    @MethodSource("adminSchemes")
    void theAdminsCredentialWorksWhateverTheCaseOfItsScheme(String scheme) {
        String value = base64(TallyServer.ADMIN_CLIENT_ID + ":" + TallyServer.ADMIN_SECRET);
        if (scheme.equalsIgnoreCase("bearer")) {
            value = TallyServer.ADMIN_SECRET;
        }

        Probe.to(Endpoint.ADD_CREDITS, world.a, world.admin.withAuthorization(scheme + " " + value))
                .assertSucceeds(world, Change.none().entries(world.a.account(), 1, 7));
    }

    static Stream<String> adminSchemes() {
        return Stream.of("bAsIc", "BEARER");
    }
}
