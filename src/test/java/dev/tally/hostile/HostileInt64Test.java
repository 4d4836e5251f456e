package dev.tally.hostile;

import dev.tally.hostile.LedgerSnapshot.Change;
import dev.tally.hostile.Probe.Expect;
import dev.tally.hostile.World.AccountRef;
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

/**
 * DESIGN §1, §2, §5, §6: amounts and credit_min are int64, sent as a number or a string of digits.
 * Values past int64, fractions, exponents, hex, padded strings, zero and negative amounts are a 400
 * and change nothing, on every field that takes them; the edges of int64 that are valid are taken.
 */
class HostileInt64Test {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    static final String MAX = "9223372036854775807";
    static final String MIN = "-9223372036854775808";

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    /** A JSON value for an int64 field, and the sentence that names it. */
    private static final String[][] NOT_INT64 = {
            {"\"9223372036854775808\"", "the string 9223372036854775808 (past int64)"},
            {"9223372036854775808", "the number 9223372036854775808 (past int64)"},
            {"1e19", "the number 1e19"},
            {"1.5", "the fraction 1.5"},
            {"\"0x10\"", "the hex string 0x10"},
            {"\" 5 \"", "the padded string \" 5 \""}};

    /** The body each int64 field is sent in, with the value in place of {@code %s}. */
    enum Field {
        USAGE_AMOUNT("CreateBillingUsage amount", Endpoint.USAGE_ON_ACCOUNT_PATH,
                v -> "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":" + v + ",\"source\":\"api\"}]}"),
        USAGE_AMOUNT_ON_BODY_PATH("CreateBillingUsage amount on the body path", Endpoint.USAGE_ON_BODY_PATH,
                v -> "{\"org_id\":\"" + world.a.org().id() + "\",\"usages\":[{\"id\":\"" + UUID.randomUUID()
                        + "\",\"amount\":" + v + "}]}"),
        CREDITS_AMOUNT("AddBillingCredits amount", Endpoint.ADD_CREDITS, v -> "{\"amount\":" + v + ",\"source\":\"x\"}"),
        REVERT_AMOUNT("RevertBillingUsage amount", Endpoint.REVERT_ON_ADMIN_PATH, v -> "{\"amount\":" + v + "}"),
        REVERT_AMOUNT_ON_BODY_PATH("RevertBillingUsage amount on the body path", Endpoint.REVERT_ON_BODY_PATH,
                v -> "{\"org_id\":\"" + world.a.org().id() + "\",\"usage_id\":\"" + world.a.usage() + "\",\"amount\":" + v + "}"),
        CHECK_AMOUNT("CheckCreditEntitlement amount", Endpoint.CHECK_CREDIT,
                v -> "{\"org_id\":\"" + world.a.org().id() + "\",\"amount\":" + v + "}"),
        CREDIT_MIN("UpdateBillingAccountLimits credit_min", Endpoint.UPDATE_LIMITS, v -> "{\"credit_min\":" + v + "}");

        final String label;
        final Endpoint endpoint;
        final Function<String, String> body;

        Field(String label, Endpoint endpoint, Function<String, String> body) {
            this.label = label;
            this.endpoint = endpoint;
            this.body = body;
        }
    }

    private static Arguments refused(Field field, String value, String what) {
        return Arguments.of(Named.of(field.label + ": " + what + " is refused and changes nothing", field), value);
    }

    static Stream<Arguments> valuesThatAreNotInt64() {
        return Stream.of(Field.values()).flatMap(field -> Stream.of(NOT_INT64).map(v -> refused(field, v[0], v[1])));
    }

    static Stream<Arguments> int64ValuesOutOfTheFieldsRange() {
        return Stream.of(
                refused(Field.USAGE_AMOUNT, "\"" + MAX + "\"", "the largest int64, more than any balance here"),
                refused(Field.USAGE_AMOUNT, MAX, "the largest int64 as a number"),
                refused(Field.USAGE_AMOUNT, "\"" + MIN + "\"", "the smallest int64"),
                refused(Field.USAGE_AMOUNT, "0", "zero"),
                refused(Field.USAGE_AMOUNT, "\"-5\"", "a negative amount"),
                refused(Field.USAGE_AMOUNT_ON_BODY_PATH, "\"" + MIN + "\"", "the smallest int64"),
                refused(Field.USAGE_AMOUNT_ON_BODY_PATH, "-1", "a negative amount"),
                refused(Field.CREDITS_AMOUNT, "\"" + MAX + "\"", "the largest int64, which would overflow the balance"),
                refused(Field.CREDITS_AMOUNT, "\"" + MIN + "\"", "the smallest int64"),
                refused(Field.CREDITS_AMOUNT, "0", "zero"),
                refused(Field.CREDITS_AMOUNT, "-1", "a negative amount"),
                refused(Field.REVERT_AMOUNT, "\"" + MAX + "\"", "the largest int64, more than the usage"),
                refused(Field.REVERT_AMOUNT, "\"" + MIN + "\"", "the smallest int64"),
                refused(Field.REVERT_AMOUNT, "-1", "a negative amount"),
                refused(Field.REVERT_AMOUNT, "\"" + (World.USED + 1) + "\"", "one more than the usage amount"),
                refused(Field.REVERT_AMOUNT_ON_BODY_PATH, MAX, "the largest int64 as a number"),
                refused(Field.REVERT_AMOUNT_ON_BODY_PATH, "\"-10\"", "a negative amount"),
                refused(Field.CHECK_AMOUNT, "\"" + MIN + "\"", "the smallest int64"),
                refused(Field.CHECK_AMOUNT, "-1", "a negative amount"),
                refused(Field.CREDIT_MIN, "\"-9223372036854775809\"", "one less than the smallest int64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"valuesThatAreNotInt64", "int64ValuesOutOfTheFieldsRange"})
    void anAmountOrLimitThatIsNotAValidInt64ForItsFieldIsInvalidArgumentAndChangesNothing(Field field, String value) {
        Probe.to(field.endpoint, world.a, world.admin).withBody(field.body.apply(value)).assertRefused(world, Expect.INVALID);
    }

    /** A case that builds its own account, brings it to an edge of int64, then sends the request that must fail. */
    private static Arguments scenario(String sentence, Function<AccountRef, Probe> setUpAndProbe) {
        return Arguments.of(Named.of(sentence, setUpAndProbe));
    }

    private static Probe grant(AccountRef account, String amount) {
        return Probe.admin(world, "POST", account.adminPath() + "/credits", "{\"amount\":\"" + amount + "\",\"source\":\"x\"}");
    }

    private static Probe usage(AccountRef account, String... amounts) {
        StringBuilder usages = new StringBuilder();
        for (String amount : amounts) {
            usages.append(usages.isEmpty() ? "" : ",").append("{\"id\":\"").append(UUID.randomUUID())
                    .append("\",\"amount\":\"").append(amount).append("\",\"source\":\"api\"}");
        }
        return Probe.admin(world, "POST", account.path() + "/usages", "{\"usages\":[" + usages + "]}");
    }

    private static void setUp(Probe probe) {
        Reply reply = probe.send();
        assertThat(reply.status()).as("set-up " + probe + " -> " + reply).isEqualTo(200);
    }

    private static void overdraftWithoutLimit(AccountRef account) {
        setUp(Probe.admin(world, "PUT", account.adminPath() + "/limits", "{\"credit_min\":\"" + MIN + "\"}"));
    }

    static Stream<Arguments> overflowScenarios() {
        return Stream.of(
                scenario("a second grant of the largest int64 is refused and the balance stays at int64's largest", a -> {
                    setUp(grant(a, MAX));
                    return grant(a, MAX);
                }),
                scenario("a grant of 1 on a balance at int64's largest is refused", a -> {
                    setUp(grant(a, MAX));
                    return grant(a, "1");
                }),
                scenario("a revert that would take the balance past int64's largest is refused", a -> {
                    setUp(grant(a, "5"));
                    Probe use = usage(a, "5");
                    setUp(use);
                    setUp(grant(a, MAX));
                    String usageId = use.body().substring(use.body().indexOf("\"id\":\"") + 6).substring(0, 36);
                    return Probe.admin(world, "POST", a.adminPath() + "/usage/" + usageId + "/revert", "{}");
                }),
                scenario("two usages of the largest int64 in one request, whose sum is past int64, are refused whole", a -> {
                    overdraftWithoutLimit(a);
                    return usage(a, MAX, MAX);
                }),
                scenario("with no overdraft limit, a debit that would take the balance below int64's smallest is refused",
                        a -> {
                            overdraftWithoutLimit(a);
                            setUp(usage(a, MAX));
                            return usage(a, MAX);
                        }),
                scenario("a usage that would take the debited total past int64's largest is refused", a -> {
                    setUp(grant(a, MAX));
                    setUp(usage(a, MAX));
                    setUp(grant(a, MAX));
                    return usage(a, "1");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overflowScenarios")
    void aRequestThatWouldOverflowAnInt64SumIsInvalidArgumentAndChangesNothing(Function<AccountRef, Probe> scenario) {
        AccountRef account = world.freshAccount(0);
        Probe last = scenario.apply(account);
        Reply debitedBefore = world.admin.get(account.path() + "/debited_transactions_total");

        last.assertRefused(world, Expect.INVALID, account);

        assertThat(world.admin.get(account.path() + "/debited_transactions_total").rawBody())
                .isEqualTo(debitedBefore.rawBody());
    }

    @ParameterizedTest(name = "a grant of the largest int64 to an empty account is taken whole: {0}")
    @MethodSource("int64Spellings")
    void aGrantOfTheLargestInt64ToAnEmptyAccountIsTakenWhole(String spelling) {
        AccountRef account = world.freshAccount(0);

        Reply reply = grant(account, MAX).withBody("{\"amount\":" + spelling + ",\"source\":\"x\"}")
                .assertSucceeds(world, Change.none().entries(account.accountId(), 1, Long.MAX_VALUE), account);

        assertThat(reply.body().path("transaction").path("amount").asText()).isEqualTo(MAX);
    }

    static Stream<String> int64Spellings() {
        return Stream.of("\"" + MAX + "\"", MAX);
    }

    @ParameterizedTest(name = "credit_min takes the int64 edge {0}, and nothing but the limit changes")
    @MethodSource("creditMinEdges")
    void creditMinTakesTheEdgesOfInt64(String edge) {
        AccountRef account = world.freshAccount(100);

        Probe.admin(world, "PUT", account.adminPath() + "/limits", "{\"credit_min\":\"" + edge + "\"}")
                .assertSucceeds(world, Change.none().touches(account.accountId(), "credit_min").audited(), account);

        Reply details = world.admin.get(account.adminPath() + "/details");
        assertThat(details.body().path("credit_min").asText()).as(details.toString()).isEqualTo(edge);
    }

    static Stream<String> creditMinEdges() {
        return Stream.of(MAX, MIN);
    }

    @ParameterizedTest(name = "a credit check for {0} answers false and changes nothing")
    @MethodSource("int64Spellings")
    void aCreditCheckForTheLargestInt64AnswersFalse(String spelling) {
        Reply reply = Probe.to(Endpoint.CHECK_CREDIT, world.a, world.admin)
                .withBody("{\"org_id\":\"" + world.a.org().id() + "\",\"amount\":" + spelling + "}")
                .assertSucceeds(world, Change.none());

        assertThat(reply.rawBody()).isEqualTo("{\"status\":false}");
    }
}
