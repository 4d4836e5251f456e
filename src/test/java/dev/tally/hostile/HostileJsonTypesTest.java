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
 * DESIGN §2: a field of the wrong type is a 400 INVALID_ARGUMENT, on every endpoint that reads a body:
 * a number for a string, a string for an object, an array for a scalar, an object for an array, null
 * where a value is required, a whole body that is not an object, and a key given twice. Nothing of the
 * request is applied.
 */
class HostileJsonTypesTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    /** A case: the endpoint (aimed at organization A) and the body it gets instead of a valid one. */
    private static Arguments refuses(Endpoint endpoint, String what, Function<Side, String> body) {
        return Arguments.of(Named.of(endpoint + " refuses " + what + " and changes nothing", endpoint), body);
    }

    private static String usage(String fields) {
        return "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"api\"," + fields + "}]}";
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                refuses(CREATE_BILLING_ACCOUNT, "a string where the body object belongs", s -> "{\"body\":\"main\"}"),
                refuses(CREATE_BILLING_ACCOUNT, "a number for the name", s -> "{\"body\":{\"name\":42}}"),
                refuses(CREATE_BILLING_ACCOUNT, "a string for the address object",
                        s -> "{\"body\":{\"name\":\"n\",\"address\":\"Main St 1\"}}"),
                refuses(CREATE_BILLING_ACCOUNT, "an array for the address object",
                        s -> "{\"body\":{\"name\":\"n\",\"address\":[\"Main St 1\"]}}"),
                refuses(CREATE_BILLING_ACCOUNT, "an object for the tax_data array",
                        s -> "{\"body\":{\"name\":\"n\",\"tax_data\":{\"type\":\"vat\",\"id\":\"1\"}}}"),
                refuses(CREATE_BILLING_ACCOUNT, "an array for the metadata object",
                        s -> "{\"body\":{\"name\":\"n\",\"metadata\":[1,2]}}"),
                refuses(ENABLE_BILLING_ACCOUNT, "an array for the whole body", s -> "[]"),
                refuses(ENABLE_BILLING_ACCOUNT, "a number for the whole body", s -> "5"),
                refuses(DISABLE_BILLING_ACCOUNT, "a string for the whole body", s -> "\"disable\""),
                refuses(DISABLE_BILLING_ACCOUNT, "a JSON null for the whole body", s -> "null"),
                refuses(USAGE_ON_ACCOUNT_PATH, "an object for the usages array",
                        s -> "{\"usages\":{\"0\":{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"}}}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "a string for the usages array", s -> "{\"usages\":\"all of them\"}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "a number for a usage id", s -> "{\"usages\":[{\"id\":12345,\"amount\":\"1\"}]}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "a number for a usage type", s -> usage("\"amount\":\"1\",\"type\":1")),
                refuses(USAGE_ON_ACCOUNT_PATH, "a number for usage metadata", s -> usage("\"amount\":\"1\",\"metadata\":5")),
                refuses(USAGE_ON_ACCOUNT_PATH, "an object for a usage customer_id",
                        s -> usage("\"amount\":\"1\",\"customer_id\":{\"id\":\"" + s.account() + "\"}")),
                refuses(USAGE_ON_ACCOUNT_PATH, "null for the required usages", s -> "{\"usages\":null}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "null for the required usage id",
                        s -> "{\"usages\":[{\"id\":null,\"amount\":\"1\"}]}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "null for the required usage amount", s -> usage("\"amount\":null")),
                refuses(USAGE_ON_BODY_PATH, "an array for org_id",
                        s -> "{\"org_id\":[\"" + s.org().id() + "\"]," + usage("\"amount\":\"1\"").substring(1)),
                refuses(USAGE_ON_BODY_PATH, "a number for billing_id",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"billing_id\":7," + usage("\"amount\":\"1\"").substring(1)),
                refuses(USAGE_ON_BODY_PATH, "an object for project_id",
                        s -> "{\"project_id\":{\"id\":\"" + s.project() + "\"}," + usage("\"amount\":\"1\"").substring(1)),
                refuses(USAGE_ON_BODY_PATH, "null for every account selector",
                        s -> "{\"org_id\":null,\"project_id\":null,\"billing_id\":null,"
                                + usage("\"amount\":\"1\"").substring(1)),
                refuses(REVERT_ON_BODY_PATH, "a number for usage_id",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":123,\"amount\":\"1\"}"),
                refuses(REVERT_ON_BODY_PATH, "an object for the amount",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":\"" + s.usage() + "\",\"amount\":{\"v\":1}}"),
                refuses(REVERT_ON_BODY_PATH, "an array for the amount",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":\"" + s.usage() + "\",\"amount\":[\"1\"]}"),
                refuses(REVERT_ON_BODY_PATH, "a boolean for org_id",
                        s -> "{\"org_id\":true,\"usage_id\":\"" + s.usage() + "\",\"amount\":\"1\"}"),
                refuses(REVERT_ON_BODY_PATH, "null for the required usage_id",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":null,\"amount\":\"1\"}"),
                refuses(REVERT_ON_ADMIN_PATH, "a word for the amount", s -> "{\"amount\":\"one\"}"),
                refuses(REVERT_ON_ADMIN_PATH, "an array for the whole body", s -> "[{\"amount\":\"1\"}]"),
                refuses(CHECK_CREDIT, "a number for org_id", s -> "{\"org_id\":42,\"amount\":\"1\"}"),
                refuses(CHECK_CREDIT, "an array for the amount", s -> "{\"org_id\":\"" + s.org().id() + "\",\"amount\":[1]}"),
                refuses(CHECK_CREDIT, "a boolean for the amount", s -> "{\"org_id\":\"" + s.org().id() + "\",\"amount\":true}"),
                refuses(CHECK_CREDIT, "null for the required org_id", s -> "{\"org_id\":null,\"amount\":\"1\"}"),
                refuses(UPDATE_LIMITS, "an object for credit_min", s -> "{\"credit_min\":{\"value\":-50}}"),
                refuses(UPDATE_LIMITS, "an array for credit_min", s -> "{\"credit_min\":[-50]}"),
                refuses(UPDATE_LIMITS, "a boolean for credit_min", s -> "{\"credit_min\":false}"),
                refuses(UPDATE_LIMITS, "a word for credit_min", s -> "{\"credit_min\":\"minus fifty\"}"),
                refuses(ADD_CREDITS, "an array for the amount", s -> "{\"amount\":[7],\"source\":\"x\"}"),
                refuses(ADD_CREDITS, "a number for the grant id", s -> "{\"id\":7,\"amount\":\"7\",\"source\":\"x\"}"),
                refuses(ADD_CREDITS, "an object for the source", s -> "{\"amount\":\"7\",\"source\":{\"name\":\"x\"}}"),
                refuses(ADD_CREDITS, "an array for the metadata object", s -> "{\"amount\":\"7\",\"metadata\":[\"k\",\"v\"]}"),
                refuses(ADD_CREDITS, "a boolean for user_id", s -> "{\"amount\":\"7\",\"user_id\":true}"),
                refuses(ADD_CREDITS, "null for the required amount", s -> "{\"amount\":null,\"source\":\"x\"}"),
                refuses(CREATE_ORGANIZATION, "an array where the body object belongs",
                        s -> "{\"body\":[{\"name\":\"" + World.uniqueName("o") + "\"}]}"),
                refuses(CREATE_ORGANIZATION, "a number for the name", s -> "{\"body\":{\"name\":12345678}}"),
                refuses(CREATE_ORGANIZATION, "an object for the title",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"title\":{\"en\":\"T\"}}}"),
                refuses(CREATE_ORGANIZATION, "a string for the metadata object",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"metadata\":\"{}\"}}"),
                refuses(CREATE_ORGANIZATION, "null for the required body", s -> "{\"body\":null}"),
                refuses(CREATE_ORGANIZATION, "null for the required name", s -> "{\"body\":{\"name\":null,\"title\":\"T\"}}"),
                refuses(CREATE_PROJECT, "a number for org_id",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"org_id\":1}}"),
                refuses(CREATE_PROJECT, "an array for the name",
                        s -> "{\"body\":{\"name\":[\"" + World.uniqueName("p") + "\"],\"org_id\":\"" + s.org().id() + "\"}}"),
                refuses(CREATE_PROJECT, "a string where the body object belongs", s -> "{\"body\":\"project\"}"),
                refuses(CREATE_PROJECT, "null for the required org_id",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"org_id\":null}}"),
                refuses(CREATE_SERVICE_USER, "a string where the body object belongs", s -> "{\"body\":\"robot\"}"),
                refuses(CREATE_SERVICE_USER, "a number for the title", s -> "{\"body\":{\"title\":7}}"),
                refuses(CREATE_SERVICE_USER, "an array for the metadata object",
                        s -> "{\"body\":{\"title\":\"r\",\"metadata\":[]}}"),
                refuses(CREATE_CREDENTIAL, "an object for the title", s -> "{\"title\":{\"t\":\"k\"}}"),
                refuses(CREATE_CREDENTIAL, "a number for the title", s -> "{\"title\":1}"),
                refuses(CREATE_CREDENTIAL, "an array for the whole body", s -> "[\"key\"]"));
    }

    static Stream<Arguments> duplicateKeys() {
        return Stream.of(
                refuses(CREATE_BILLING_ACCOUNT, "a duplicate name key", s -> "{\"body\":{\"name\":\"a\",\"name\":\"b\"}}"),
                refuses(ENABLE_BILLING_ACCOUNT, "a duplicate org_id key", s -> "{\"org_id\":\"a\",\"org_id\":\"b\"}"),
                refuses(DISABLE_BILLING_ACCOUNT, "a duplicate id key", s -> "{\"id\":\"a\",\"id\":\"b\"}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "a duplicate source key inside a usage",
                        s -> usage("\"amount\":\"1\",\"source\":\"b\"")),
                refuses(USAGE_ON_BODY_PATH, "a duplicate billing_id key naming two accounts",
                        s -> "{\"billing_id\":\"" + s.account() + "\",\"billing_id\":\"" + world.b.account() + "\","
                                + usage("\"amount\":\"1\"").substring(1)),
                refuses(REVERT_ON_BODY_PATH, "a duplicate usage_id key",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":\"" + s.usage() + "\",\"usage_id\":\""
                                + UUID.randomUUID() + "\"}"),
                refuses(REVERT_ON_ADMIN_PATH, "a duplicate amount key", s -> "{\"amount\":\"1\",\"amount\":\"10\"}"),
                refuses(CHECK_CREDIT, "a duplicate amount key",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"amount\":\"1\",\"amount\":\"100000\"}"),
                refuses(UPDATE_LIMITS, "a duplicate credit_min key", s -> "{\"credit_min\":\"-50\",\"credit_min\":\"0\"}"),
                refuses(ADD_CREDITS, "a duplicate amount key", s -> "{\"amount\":\"7\",\"amount\":\"7000\",\"source\":\"x\"}"),
                refuses(CREATE_ORGANIZATION, "a duplicate body key",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\"},\"body\":{\"name\":\""
                                + World.uniqueName("o") + "\"}}"),
                refuses(CREATE_PROJECT, "a duplicate org_id key naming two organizations",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"org_id\":\"" + s.org().id()
                                + "\",\"org_id\":\"" + world.b.org().id() + "\"}}"),
                refuses(CREATE_SERVICE_USER, "a duplicate title key", s -> "{\"body\":{\"title\":\"a\",\"title\":\"b\"}}"),
                refuses(CREATE_CREDENTIAL, "a duplicate title key", s -> "{\"title\":\"a\",\"title\":\"b\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void aFieldOfTheWrongTypeIsInvalidArgumentAndChangesNothing(Endpoint endpoint, Function<Side, String> body) {
        Probe.to(endpoint, world.a, world.admin).withBody(body.apply(world.a)).assertRefused(world, Expect.INVALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicateKeys")
    void aKeyGivenTwiceIsInvalidArgumentAndChangesNothing(Endpoint endpoint, Function<Side, String> body) {
        Probe.to(endpoint, world.a, world.admin).withBody(body.apply(world.a)).assertRefused(world, Expect.INVALID);
    }
}
