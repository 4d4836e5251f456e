package dev.tally.hostile;

import dev.tally.hostile.Probe.Expect;
import dev.tally.hostile.World.Side;
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

import static dev.tally.hostile.Endpoint.*;

/**
 * A NUL character (U+0000) cannot be stored in PostgreSQL text, so it is refused as it enters: a 400
 * INVALID_ARGUMENT, never a 500, in every string a caller can send (body fields, metadata keys and
 * values, path segments, query parameters), on H2 as on PostgreSQL, and nothing is applied.
 */
class HostileNulTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    /** "a", NUL, "b" as JSON writes it. */
    private static final String NUL = "\"a\\u0000b\"";

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    private static Arguments refuses(Endpoint endpoint, String where, Function<Side, String> body) {
        return Arguments.of(Named.of(endpoint + " refuses a NUL in " + where + " and changes nothing", endpoint), body);
    }

    private static String usage(String fields) {
        return "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"," + fields + "}]}";
    }

    static Stream<Arguments> nulInBodies() {
        return Stream.of(
                refuses(USAGE_ON_ACCOUNT_PATH, "the usage id", s -> "{\"usages\":[{\"id\":\"" + UUID.randomUUID()
                        + "\\u0000\",\"amount\":\"1\"}]}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "the source", s -> usage("\"source\":" + NUL)),
                refuses(USAGE_ON_ACCOUNT_PATH, "the description", s -> usage("\"description\":" + NUL)),
                refuses(USAGE_ON_ACCOUNT_PATH, "the user_id", s -> usage("\"user_id\":" + NUL)),
                refuses(USAGE_ON_ACCOUNT_PATH, "the type", s -> usage("\"type\":\"credit\\u0000\"")),
                refuses(USAGE_ON_ACCOUNT_PATH, "a metadata key", s -> usage("\"metadata\":{" + NUL + ":\"v\"}")),
                refuses(USAGE_ON_ACCOUNT_PATH, "a metadata value", s -> usage("\"metadata\":{\"k\":" + NUL + "}")),
                refuses(USAGE_ON_ACCOUNT_PATH, "a metadata value nested in an array",
                        s -> usage("\"metadata\":{\"k\":[1,{\"deep\":[" + NUL + "]}]}")),
                refuses(USAGE_ON_BODY_PATH, "org_id", s -> "{\"org_id\":" + NUL + "," + usage("\"source\":\"a\"").substring(1)),
                refuses(USAGE_ON_BODY_PATH, "billing_id",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"billing_id\":\"" + s.account() + "\\u0000\","
                                + usage("\"source\":\"a\"").substring(1)),
                refuses(USAGE_ON_BODY_PATH, "project_id", s -> "{\"project_id\":\"" + s.project() + "\\u0000\","
                        + usage("\"source\":\"a\"").substring(1)),
                refuses(REVERT_ON_BODY_PATH, "usage_id", s -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":\""
                        + s.usage() + "\\u0000\"}"),
                refuses(REVERT_ON_BODY_PATH, "org_id", s -> "{\"org_id\":" + NUL + ",\"usage_id\":\"" + s.usage() + "\"}"),
                refuses(CHECK_CREDIT, "org_id", s -> "{\"org_id\":\"" + s.org().id() + "\\u0000\",\"amount\":\"1\"}"),
                refuses(ADD_CREDITS, "the grant id", s -> "{\"id\":\"" + UUID.randomUUID() + "\\u0000\",\"amount\":\"5\"}"),
                refuses(ADD_CREDITS, "the source", s -> "{\"amount\":\"5\",\"source\":" + NUL + "}"),
                refuses(ADD_CREDITS, "the description", s -> "{\"amount\":\"5\",\"description\":" + NUL + "}"),
                refuses(ADD_CREDITS, "the user_id", s -> "{\"amount\":\"5\",\"user_id\":" + NUL + "}"),
                refuses(ADD_CREDITS, "a metadata value", s -> "{\"amount\":\"5\",\"metadata\":{\"k\":" + NUL + "}}"),
                refuses(CREATE_ORGANIZATION, "the name", s -> "{\"body\":{\"name\":\"org\\u0000x\"}}"),
                refuses(CREATE_ORGANIZATION, "the title",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"title\":" + NUL + "}}"),
                refuses(CREATE_ORGANIZATION, "a metadata key",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"metadata\":{" + NUL + ":1}}}"),
                refuses(CREATE_PROJECT, "the name",
                        s -> "{\"body\":{\"name\":\"proj\\u0000x\",\"org_id\":\"" + s.org().id() + "\"}}"),
                refuses(CREATE_PROJECT, "the title", s -> "{\"body\":{\"name\":\"" + World.uniqueName("p")
                        + "\",\"title\":" + NUL + ",\"org_id\":\"" + s.org().id() + "\"}}"),
                refuses(CREATE_PROJECT, "org_id", s -> "{\"body\":{\"name\":\"" + World.uniqueName("p")
                        + "\",\"org_id\":\"" + s.org().id() + "\\u0000\"}}"),
                refuses(CREATE_BILLING_ACCOUNT, "the name", s -> "{\"body\":{\"name\":" + NUL + "}}"),
                refuses(CREATE_BILLING_ACCOUNT, "the email", s -> "{\"body\":{\"name\":\"n\",\"email\":" + NUL + "}}"),
                refuses(CREATE_BILLING_ACCOUNT, "the phone", s -> "{\"body\":{\"name\":\"n\",\"phone\":" + NUL + "}}"),
                refuses(CREATE_BILLING_ACCOUNT, "the currency", s -> "{\"body\":{\"name\":\"n\",\"currency\":" + NUL + "}}"),
                refuses(CREATE_BILLING_ACCOUNT, "an address line",
                        s -> "{\"body\":{\"name\":\"n\",\"address\":{\"line1\":" + NUL + "}}}"),
                refuses(CREATE_BILLING_ACCOUNT, "a metadata value",
                        s -> "{\"body\":{\"name\":\"n\",\"metadata\":{\"k\":" + NUL + "}}}"),
                refuses(CREATE_SERVICE_USER, "the title", s -> "{\"body\":{\"title\":" + NUL + "}}"),
                refuses(CREATE_SERVICE_USER, "a metadata value", s -> "{\"body\":{\"title\":\"r\",\"metadata\":{\"k\":" + NUL + "}}}"),
                refuses(CREATE_CREDENTIAL, "the title", s -> "{\"title\":" + NUL + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nulInBodies")
    void aNulInABodyStringIsInvalidArgumentAndChangesNothing(Endpoint endpoint, Function<Side, String> body) {
        Probe.to(endpoint, world.a, world.admin).withBody(body.apply(world.a)).assertRefused(world, Expect.INVALID);
    }

    static Stream<Arguments> nulInPathsAndQueries() {
        return Stream.of(
                Arguments.of(Named.of("GetOrganization refuses a NUL in the organization path segment", "GET"),
                        (Function<Side, String>) s -> "/v1beta1/organizations/a%00b"),
                Arguments.of(Named.of("GetBillingAccount refuses a NUL in the account path segment", "GET"),
                        (Function<Side, String>) s -> s.orgPath() + "/billing/%00"),
                Arguments.of(Named.of("AddBillingCredits refuses a NUL in the account path segment", "POST"),
                        (Function<Side, String>) s -> "/v1beta1/admin/organizations/" + s.org().id() + "/billing/"
                                + s.account() + "%00/credits"),
                Arguments.of(Named.of("GetProject refuses a NUL in the project path segment", "GET"),
                        (Function<Side, String>) s -> "/v1beta1/projects/p%00"),
                Arguments.of(Named.of("ListBillingTransactions refuses a NUL in start_range", "GET"),
                        (Function<Side, String>) s -> s.accountPath() + "/transactions?start_range=2026-01-01T00:00:00Z%00"),
                Arguments.of(Named.of("ListAllBillingAccounts refuses a NUL in org_id", "GET"),
                        (Function<Side, String>) s -> "/v1beta1/admin/billing/accounts?org_id=" + s.org().id() + "%00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nulInPathsAndQueries")
    void aNulInAPathSegmentOrQueryParameterIsInvalidArgumentAndChangesNothing(String method, Function<Side, String> path) {
        Probe.admin(world, method, path.apply(world.a), method.equals("GET") ? null : "{\"amount\":\"5\"}")
                .assertRefused(world, Expect.INVALID);
    }
}
