package dev.tally.hostile;

import dev.tally.hostile.LedgerSnapshot.Change;
import dev.tally.hostile.Probe.Expect;
import dev.tally.hostile.World.AccountRef;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.tally.hostile.Endpoint.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §5 and §2: limits on size. At most 1,000 usages a request; source, description, user_id and
 * titles up to 255 characters; metadata up to 16 KiB; a body past the server's request limit. Beyond
 * any of them is a 400 and nothing is applied; a request exactly at a limit is applied as sent.
 */
class HostileLimitsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final String LONG = "x".repeat(256);
    /** Metadata whose compact JSON is 16 KiB + 1 byte. */
    private static final String METADATA_PAST_LIMIT = "{\"k\":\"" + "m".repeat(16 * 1024 - 7) + "\"}";
    private static final String DEEP_METADATA = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    private static Arguments refuses(Endpoint endpoint, String what, Function<World.Side, String> body) {
        return Arguments.of(Named.of(endpoint + " refuses " + what + " and changes nothing", endpoint), body);
    }

    static String usages(int count, String extraFields) {
        return IntStream.range(0, count).mapToObj(i -> "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\","
                + "\"source\":\"api\"" + extraFields + "}").collect(Collectors.joining(",", "[", "]"));
    }

    private static String usageWith(String fields) {
        return "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"," + fields + "}]}";
    }

    static Stream<Arguments> pastALimit() {
        String pad = "\"padding\":\"" + "p".repeat(25 * 1024 * 1024) + "\"";
        return Stream.of(
                refuses(USAGE_ON_ACCOUNT_PATH, "a 25 MiB body", s -> "{" + pad + ",\"usages\":" + usages(1, "") + "}"),
                refuses(USAGE_ON_BODY_PATH, "a 25 MiB body",
                        s -> "{" + pad + ",\"org_id\":\"" + s.org().id() + "\",\"usages\":" + usages(1, "") + "}"),
                refuses(ADD_CREDITS, "a 25 MiB body", s -> "{" + pad + ",\"amount\":\"5\"}"),
                refuses(REVERT_ON_ADMIN_PATH, "a 25 MiB body", s -> "{" + pad + ",\"amount\":\"1\"}"),
                refuses(CHECK_CREDIT, "a 25 MiB body", s -> "{" + pad + ",\"org_id\":\"" + s.org().id() + "\"}"),
                refuses(CREATE_ORGANIZATION, "a 25 MiB body",
                        s -> "{" + pad + ",\"body\":{\"name\":\"" + World.uniqueName("big") + "\"}}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "1,001 usages", s -> "{\"usages\":" + usages(1001, "") + "}"),
                refuses(USAGE_ON_BODY_PATH, "1,001 usages",
                        s -> "{\"org_id\":\"" + s.org().id() + "\",\"usages\":" + usages(1001, "") + "}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "10,000 usages", s -> "{\"usages\":" + usages(10_000, "") + "}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "1,001 usages each with 16 KiB of metadata (a 16 MiB body)",
                        s -> "{\"usages\":" + usages(1001, ",\"metadata\":{\"k\":\"" + "m".repeat(16 * 1024 - 8) + "\"}") + "}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "100,000 empty usage objects",
                        s -> "{\"usages\":[" + "{},".repeat(99_999) + "{}]}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "usage metadata of 16 KiB + 1 byte", s -> usageWith("\"metadata\":" + METADATA_PAST_LIMIT)),
                refuses(USAGE_ON_ACCOUNT_PATH, "usage metadata of 6,000 three-byte characters (18 KiB in UTF-8)",
                        s -> usageWith("\"metadata\":{\"k\":\"" + "€".repeat(6000) + "\"}")),
                refuses(USAGE_ON_ACCOUNT_PATH, "usage metadata nested 5,000 deep", s -> usageWith("\"metadata\":" + DEEP_METADATA)),
                refuses(ADD_CREDITS, "grant metadata of 16 KiB + 1 byte", s -> "{\"amount\":\"5\",\"metadata\":" + METADATA_PAST_LIMIT + "}"),
                refuses(CREATE_ORGANIZATION, "organization metadata of 16 KiB + 1 byte",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"metadata\":" + METADATA_PAST_LIMIT + "}}"),
                refuses(CREATE_ORGANIZATION, "organization metadata nested 5,000 deep",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"metadata\":" + DEEP_METADATA + "}}"),
                refuses(CREATE_PROJECT, "project metadata of 16 KiB + 1 byte",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"org_id\":\"" + s.org().id()
                                + "\",\"metadata\":" + METADATA_PAST_LIMIT + "}}"),
                refuses(CREATE_BILLING_ACCOUNT, "account metadata of 16 KiB + 1 byte",
                        s -> "{\"body\":{\"name\":\"n\",\"metadata\":" + METADATA_PAST_LIMIT + "}}"),
                refuses(CREATE_SERVICE_USER, "service-user metadata of 16 KiB + 1 byte",
                        s -> "{\"body\":{\"title\":\"r\",\"metadata\":" + METADATA_PAST_LIMIT + "}}"),
                refuses(USAGE_ON_ACCOUNT_PATH, "a source of 256 characters", s -> usageWith("\"source\":\"" + LONG + "\"")),
                refuses(USAGE_ON_ACCOUNT_PATH, "a description of 256 characters", s -> usageWith("\"description\":\"" + LONG + "\"")),
                refuses(USAGE_ON_ACCOUNT_PATH, "a user_id of 256 characters", s -> usageWith("\"user_id\":\"" + LONG + "\"")),
                refuses(USAGE_ON_BODY_PATH, "a description of 100,000 characters",
                        s -> "{\"org_id\":\"" + s.org().id() + "\"," + usageWith("\"description\":\"" + "d".repeat(100_000) + "\"").substring(1)),
                refuses(ADD_CREDITS, "a source of 256 characters", s -> "{\"amount\":\"5\",\"source\":\"" + LONG + "\"}"),
                refuses(ADD_CREDITS, "a description of 256 characters", s -> "{\"amount\":\"5\",\"description\":\"" + LONG + "\"}"),
                refuses(ADD_CREDITS, "a user_id of 256 characters", s -> "{\"amount\":\"5\",\"user_id\":\"" + LONG + "\"}"),
                // Grants (DESIGN §13): priority 0 to 100, expires_at RFC 3339 and in the future.
                refuses(ADD_CREDITS, "a priority of 101", s -> "{\"amount\":\"5\",\"priority\":101}"),
                refuses(ADD_CREDITS, "a priority of -1", s -> "{\"amount\":\"5\",\"priority\":-1}"),
                refuses(ADD_CREDITS, "a priority past int32", s -> "{\"amount\":\"5\",\"priority\":4294967346}"),
                refuses(ADD_CREDITS, "an expires_at in the past", s -> "{\"amount\":\"5\",\"expires_at\":\"2001-01-01T00:00:00Z\"}"),
                refuses(ADD_CREDITS, "an expires_at that is not RFC 3339", s -> "{\"amount\":\"5\",\"expires_at\":\"next week\"}"),
                refuses(ADD_CREDITS, "an expires_at without a zone", s -> "{\"amount\":\"5\",\"expires_at\":\"2999-01-01T00:00:00\"}"),
                refuses(ADD_CREDITS, "an expires_at as a number", s -> "{\"amount\":\"5\",\"expires_at\":1999999999}"),
                refuses(CREATE_BILLING_ACCOUNT, "a name of 256 characters", s -> "{\"body\":{\"name\":\"" + LONG + "\"}}"),
                refuses(CREATE_BILLING_ACCOUNT, "an email of 256 characters",
                        s -> "{\"body\":{\"name\":\"n\",\"email\":\"" + "e".repeat(244) + "@example.com\"}}"),
                refuses(CREATE_BILLING_ACCOUNT, "a phone of 256 characters", s -> "{\"body\":{\"name\":\"n\",\"phone\":\"" + LONG + "\"}}"),
                refuses(CREATE_BILLING_ACCOUNT, "a currency of 17 characters",
                        s -> "{\"body\":{\"name\":\"n\",\"currency\":\"" + "C".repeat(17) + "\"}}"),
                refuses(CREATE_BILLING_ACCOUNT, "an address line of 5,000 characters",
                        s -> "{\"body\":{\"name\":\"n\",\"address\":{\"line1\":\"" + "a".repeat(5000) + "\"}}}"),
                refuses(CREATE_ORGANIZATION, "a title of 256 characters",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("o") + "\",\"title\":\"" + LONG + "\"}}"),
                refuses(CREATE_ORGANIZATION, "a name of 51 characters", s -> "{\"body\":{\"name\":\"" + "o".repeat(51) + "\"}}"),
                refuses(CREATE_PROJECT, "a title of 256 characters",
                        s -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"title\":\"" + LONG + "\",\"org_id\":\""
                                + s.org().id() + "\"}}"),
                refuses(CREATE_PROJECT, "a name of 51 characters",
                        s -> "{\"body\":{\"name\":\"" + "p".repeat(51) + "\",\"org_id\":\"" + s.org().id() + "\"}}"),
                refuses(CREATE_SERVICE_USER, "a title of 256 characters", s -> "{\"body\":{\"title\":\"" + LONG + "\"}}"),
                refuses(CREATE_CREDENTIAL, "a title of 256 characters", s -> "{\"title\":\"" + LONG + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pastALimit")
    void aRequestPastASizeLimitIsInvalidArgumentAndChangesNothing(Endpoint endpoint, Function<World.Side, String> body) {
        Probe.to(endpoint, world.a, world.admin).withBody(body.apply(world.a)).assertRefused(world, Expect.INVALID);
    }

    /** Stands for the id of a usage the account already recorded. */
    private static final String RECORDED = "{recorded}";

    static Stream<Arguments> batchesOfAThousandWithOneBadUsage() {
        return Stream.of(
                Arguments.of(Named.of("a batch of 1,000 whose last usage has amount 0 is refused whole", Expect.INVALID),
                        ",{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"0\"}"),
                Arguments.of(Named.of("a batch of 1,000 whose last usage has an id that is not a uuid is refused whole",
                        Expect.INVALID), ",{\"id\":\"not-a-uuid\",\"amount\":\"1\"}"),
                Arguments.of(Named.of("a batch of 1,000 whose last usage repeats an id already recorded is refused whole",
                        Expect.CONFLICT), ",{\"id\":\"" + RECORDED + "\",\"amount\":\"1\"}"),
                Arguments.of(Named.of("a batch of 1,000 whose last usage is of type feature is refused whole",
                        Expect.INVALID), ",{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\",\"type\":\"feature\"}"),
                Arguments.of(Named.of("a batch of 1,000 that costs more than the balance is refused whole",
                        Expect.INVALID), ",{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"4001\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batchesOfAThousandWithOneBadUsage")
    void aBatchAtTheLimitWithOneBadUsageIsRefusedWhole(Expect expected, String lastUsage) {
        AccountRef account = world.freshAccount(5000);
        String recorded = UUID.randomUUID().toString();
        new Probe(world.admin, "POST", account.path() + "/usages", "{\"usages\":[{\"id\":\"" + recorded
                + "\",\"amount\":\"1\"}]}").assertSucceeds(world, Change.none().entries(account.accountId(), 1, -1), account);
        String batch = usages(999, "");

        new Probe(world.admin, "POST", account.path() + "/usages", "{\"usages\":" + batch.substring(0, batch.length() - 1)
                + lastUsage.replace(RECORDED, recorded) + "]}").assertRefused(world, expected, account);
    }

    @ParameterizedTest(name = "a batch of exactly 1,000 usages is applied whole, on the {0}")
    @MethodSource("usagePaths")
    void aBatchOfExactlyAThousandUsagesIsAppliedWhole(Endpoint path) {
        AccountRef account = world.freshAccount(5000);
        String selector = path == USAGE_ON_BODY_PATH ? "\"billing_id\":\"" + account.accountId() + "\"," : "";

        new Probe(world.admin, "POST", path == USAGE_ON_BODY_PATH ? "/v1beta1/organizations/billing/usages"
                : account.path() + "/usages", "{" + selector + "\"usages\":" + usages(1000, "") + "}")
                .assertSucceeds(world, Change.none().entries(account.accountId(), 1000, -1000), account);
    }

    static Stream<Endpoint> usagePaths() {
        return Stream.of(USAGE_ON_ACCOUNT_PATH, USAGE_ON_BODY_PATH);
    }

    @ParameterizedTest(name = "a usage with {0} exactly at its limit is applied and read back as sent")
    @MethodSource("textsAtTheLimit")
    void aUsageExactlyAtTheLimitsIsAppliedAndReadBackAsSent(String field, String value) {
        AccountRef account = world.freshAccount(100);
        String json = field.equals("metadata") ? "{\"k\":\"" + value + "\"}" : "\"" + value + "\"";
        Probe probe = new Probe(world.admin, "POST", account.path() + "/usages", usageWith("\"" + field + "\":" + json));

        probe.assertSucceeds(world, Change.none().entries(account.accountId(), 1, -1), account);

        var entry = world.admin.get(account.path() + "/transactions").body().path("transactions").path(0);
        assertThat(entry.path("id").asText()).isEqualTo(TextPlace.usageId(probe));
        var stored = field.equals("metadata") ? entry.path("metadata").path("k") : entry.path(field);
        assertThat(stored.asText()).as(field + " read back").isEqualTo(value);
    }

    static Stream<Arguments> textsAtTheLimit() {
        return Stream.of(
                Arguments.of("source", "y".repeat(255)),
                Arguments.of("description", "y".repeat(255)),
                Arguments.of("user_id", "y".repeat(255)),
                Arguments.of("metadata", "m".repeat(16 * 1024 - 8)));
    }
}
