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

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Injection- and traversal-shaped strings where an id belongs: in path segments, query parameters and
 * body fields. A uuid field refuses them (400 INVALID_ARGUMENT); an id-or-name finds nothing (404
 * NOT_FOUND), or the HTTP layer refuses a path with ".." in it (400). Never a 500, never a match,
 * never an echo of internals, and nothing changes.
 */
class HostileInjectionIdsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    /**
     * Where a hostile id goes, and the request built around it. {@code strict}: the place takes only one
     * shape of value (a uuid, a name, a timestamp) and refuses anything else; otherwise it looks the value up.
     */
    record Place(String label, boolean strict, String method, BiFunction<Side, String, String> path,
                 BiFunction<Side, String, String> body) {
        static Place path(String label, boolean strict, String method, BiFunction<Side, String, String> path) {
            return new Place(label, strict, method, path, (s, id) -> method.equals("GET") ? null : "{\"amount\":\"1\"}");
        }

        static Place body(String label, boolean strict, String path, BiFunction<Side, String, String> body) {
            return new Place(label, strict, "POST", (s, id) -> path, body);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private static final List<Place> PATH_SEGMENTS = List.of(
            Place.path("GetOrganization's organization segment", false, "GET", (s, id) -> "/v1beta1/organizations/" + id),
            Place.path("ListBillingAccounts' organization segment", false, "GET",
                    (s, id) -> "/v1beta1/organizations/" + id + "/billing"),
            Place.path("ListOrganizationProjects' organization segment", false, "GET",
                    (s, id) -> "/v1beta1/organizations/" + id + "/projects"),
            Place.path("CreateServiceUser's organization segment", false, "POST",
                    (s, id) -> "/v1beta1/organizations/" + id + "/serviceusers"),
            Place.path("GetProject's project segment", false, "GET", (s, id) -> "/v1beta1/projects/" + id),
            Place.path("GetBillingAccount's account segment", true, "GET", (s, id) -> s.orgPath() + "/billing/" + id),
            Place.path("GetBillingBalance's account segment", true, "GET", (s, id) -> s.orgPath() + "/billing/" + id + "/balance"),
            Place.path("DisableBillingAccount's account segment", true, "POST",
                    (s, id) -> s.orgPath() + "/billing/" + id + "/disable"),
            Place.path("TotalDebitedTransactions' account segment", true, "GET",
                    (s, id) -> s.orgPath() + "/billing/" + id + "/debited_transactions_total"),
            Place.path("ListBillingTransactions' account segment", true, "GET",
                    (s, id) -> s.orgPath() + "/billing/" + id + "/transactions"),
            Place.path("CreateBillingUsage's account segment", true, "POST", (s, id) -> s.orgPath() + "/billing/" + id + "/usages"),
            Place.path("AddBillingCredits' account segment", true, "POST",
                    (s, id) -> "/v1beta1/admin/organizations/" + s.org().id() + "/billing/" + id + "/credits"),
            Place.path("UpdateBillingAccountLimits' account segment", true, "PUT",
                    (s, id) -> "/v1beta1/admin/organizations/" + s.org().id() + "/billing/" + id + "/limits"),
            Place.path("GetBillingAccountDetails' account segment", true, "GET",
                    (s, id) -> "/v1beta1/admin/organizations/" + s.org().id() + "/billing/" + id + "/details"),
            Place.path("RevertBillingUsage's usage segment", true, "POST", (s, id) -> s.adminAccountPath() + "/usage/" + id + "/revert"),
            Place.path("CreateServiceUserCredential's service-user segment", true, "POST",
                    (s, id) -> s.orgPath() + "/serviceusers/" + id + "/secrets"),
            Place.path("ListAllBillingAccounts' org_id query parameter", false, "GET",
                    (s, id) -> "/v1beta1/admin/billing/accounts?org_id=" + id),
            Place.path("ListBillingTransactions' start_range query parameter", true, "GET",
                    (s, id) -> s.accountPath() + "/transactions?start_range=" + id),
            Place.path("ListBillingTransactions' end_range query parameter", true, "GET",
                    (s, id) -> s.orgPath() + "/billing/transactions?end_range=" + id));

    private static String usages() {
        return "\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"}]}";
    }

    private static final List<Place> BODY_FIELDS = List.of(
            Place.body("CreateBillingUsage's org_id", false, "/v1beta1/organizations/billing/usages",
                    (s, id) -> "{\"org_id\":" + id + "," + usages()),
            Place.body("CreateBillingUsage's billing_id", true, "/v1beta1/organizations/billing/usages",
                    (s, id) -> "{\"org_id\":\"" + s.org().id() + "\",\"billing_id\":" + id + "," + usages()),
            Place.body("CreateBillingUsage's project_id", false, "/v1beta1/organizations/billing/usages",
                    (s, id) -> "{\"project_id\":" + id + "," + usages()),
            Place.body("CreateBillingUsage's usage id", true, "/v1beta1/organizations/billing/usages",
                    (s, id) -> "{\"org_id\":\"" + s.org().id() + "\",\"usages\":[{\"id\":" + id + ",\"amount\":\"1\"}]}"),
            Place.body("RevertBillingUsage's usage_id", true, "/v1beta1/organizations/billing/usages/revert",
                    (s, id) -> "{\"org_id\":\"" + s.org().id() + "\",\"usage_id\":" + id + "}"),
            Place.body("RevertBillingUsage's billing_id", true, "/v1beta1/organizations/billing/usages/revert",
                    (s, id) -> "{\"org_id\":\"" + s.org().id() + "\",\"billing_id\":" + id + ",\"usage_id\":\"" + s.usage() + "\"}"),
            Place.body("CheckCreditEntitlement's org_id", false, "/v1beta1/billing/check",
                    (s, id) -> "{\"org_id\":" + id + ",\"amount\":\"1\"}"),
            Place.body("CreateProject's org_id", false, "/v1beta1/projects",
                    (s, id) -> "{\"body\":{\"name\":\"" + World.uniqueName("p") + "\",\"org_id\":" + id + "}}"),
            Place.body("CreateOrganization's name", true, "/v1beta1/organizations", (s, id) -> "{\"body\":{\"name\":" + id + "}}"),
            Place.body("CreateProject's name", true, "/v1beta1/projects",
                    (s, id) -> "{\"body\":{\"name\":" + id + ",\"org_id\":\"" + s.org().id() + "\"}}"));

    static Stream<Arguments> hostileIdsInPathsAndQueries() {
        return PATH_SEGMENTS.stream().flatMap(place -> Hostile.STRINGS.entrySet().stream().map(hostile -> Arguments.of(
                Named.of(place + " with " + hostile.getKey() + " finds nothing and changes nothing", place),
                hostile.getValue())));
    }

    static Stream<Arguments> hostileIdsInBodies() {
        return BODY_FIELDS.stream().flatMap(place -> Hostile.STRINGS.entrySet().stream().map(hostile -> Arguments.of(
                Named.of(place + " with " + hostile.getKey() + " is refused and changes nothing", place),
                hostile.getValue())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileIdsInPathsAndQueries")
    void aHostileIdInAPathOrQueryIsRefusedOrNotFoundAndChangesNothing(Place place, String raw) {
        String encoded = Hostile.encoded(raw);
        // An id-or-name is looked up and not found; the HTTP layer refuses a ".." segment before any lookup.
        Expect expected = place.strict() || raw.contains("..") ? Expect.INVALID : Expect.NOT_FOUND;

        new Probe(world.admin, place.method(), place.path().apply(world.a, encoded), place.body().apply(world.a, encoded))
                .assertRefused(world, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileIdsInBodies")
    void aHostileIdInABodyIsRefusedOrNotFoundAndChangesNothing(Place place, String raw) {
        Expect expected = place.strict() ? Expect.INVALID : Expect.NOT_FOUND;

        new Probe(world.admin, place.method(), place.path().apply(world.a, raw), place.body().apply(world.a, Hostile.json(raw)))
                .assertRefused(world, expected);
    }

    static Stream<Arguments> traversalsOutOfTheCallersOrganization() {
        Map<String, BiFunction<World, Side, String>> paths = Map.of(
                "from its account up to another organization's account",
                (w, s) -> s.accountPath() + "/%2e%2e/%2e%2e/%2e%2e/" + w.b.org().id() + "/billing/" + w.b.account() + "/balance",
                "from its organization up to the admin organization list",
                (w, s) -> s.orgPath() + "/%2e%2e/%2e%2e/admin/organizations",
                "with an encoded slash into another organization",
                (w, s) -> "/v1beta1/organizations/" + s.org().id() + "%2F..%2F" + w.b.org().id() + "/billing");
        return paths.entrySet().stream().map(path -> Arguments.of(Named.of(
                "a service user's path traversal " + path.getKey() + " is refused and changes nothing", path.getValue())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traversalsOutOfTheCallersOrganization")
    void aServiceUsersPathTraversalReachesNothing(BiFunction<World, Side, String> path) {
        new Probe(world.a.robot(), "GET", path.apply(world, world.a), null)
                .assertRefusedWithOneOf(world, Probe.oneOf(Expect.INVALID, Expect.NOT_FOUND));
    }

    static Stream<Arguments> hostileIdempotencyKeys() {
        return Stream.of(
                Arguments.of(Named.of("an Idempotency-Key with a SQL tautology (spaces) is refused", "' OR 1=1 --")),
                Arguments.of(Named.of("an Idempotency-Key with a DROP statement is refused",
                        "\"; DROP TABLE idempotency_keys; --")),
                Arguments.of(Named.of("an Idempotency-Key of 256 characters is refused", "k".repeat(256))));
    }

    @ParameterizedTest(name = "{0}, and the grant it carries is not applied")
    @MethodSource("hostileIdempotencyKeys")
    void aHostileIdempotencyKeyIsInvalidArgumentAndChangesNothing(String key) {
        Probe.to(Endpoint.ADD_CREDITS, world.a, world.admin.withHeader("Idempotency-Key", key))
                .assertRefused(world, Expect.INVALID);
    }
}
