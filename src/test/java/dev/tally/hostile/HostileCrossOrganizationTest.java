package dev.tally.hostile;

import dev.tally.hostile.Probe.Expect;
import dev.tally.hostile.World.Side;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.tally.hostile.Endpoint.*;

/**
 * DESIGN §4.3 and §7, broken object-level authorization: a service user of organization A, with its
 * valid credential, on every endpoint aimed at organization B (by id, by name, by Bearer), gets 403
 * PERMISSION_DENIED; on the endpoints a service user may never use it gets 403 in its own organization
 * too. B, A and every other row are left exactly as they were.
 */
class HostileCrossOrganizationTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    /** The endpoints a service user may use in its own organization, that name the organization. */
    private static final List<Endpoint> ORGANIZATION_SCOPED = List.of(LIST_BILLING_ACCOUNTS, GET_BILLING_ACCOUNT,
            GET_BALANCE, USAGE_ON_ACCOUNT_PATH, USAGE_ON_BODY_PATH, ACCOUNT_TRANSACTIONS, ORGANIZATION_TRANSACTIONS,
            DEBITED_TOTAL, CHECK_CREDIT, GET_ORGANIZATION, CREATE_PROJECT, LIST_PROJECTS, BALANCE_AT, PAGED_TRANSACTIONS,
            USAGE_SUMMARY);

    private static World world;

    @BeforeAll
    static void buildWorld() {
        world = World.build(SERVER);
    }

    @ParameterizedTest(name = "{0} aimed at organization B by A's service user is denied and changes nothing")
    @EnumSource(Endpoint.class)
    void aServiceUserOfAIsDeniedEveryEndpointOfB(Endpoint endpoint) {
        Probe.to(endpoint, world.b, world.a.robot()).assertRefused(world, Expect.DENIED);
    }

    @ParameterizedTest(name = "{0} naming organization B by its name is denied to A's service user and changes nothing")
    @MethodSource("organizationScoped")
    void aServiceUserOfAIsDeniedBWhenItNamesBByName(Endpoint endpoint) {
        Side bByName = new Side(new Org(world.b.org().name(), world.b.org().name()), world.b.account(), world.b.usage(),
                world.b.project(), world.b.serviceUser(), world.b.clientId(), world.b.secret(), world.b.robot());

        Probe.to(endpoint, bByName, world.a.robot()).assertRefused(world, Expect.DENIED);
    }

    static Stream<Endpoint> organizationScoped() {
        return ORGANIZATION_SCOPED.stream();
    }

    @ParameterizedTest(name = "{0} aimed at organization B with A's secret as a Bearer token is denied and changes nothing")
    @MethodSource("organizationScoped")
    void aServiceUserOfAIsDeniedBUnderTheBearerSchemeToo(Endpoint endpoint) {
        Probe.to(endpoint, world.b, world.admin.withAuthorization("Bearer " + world.a.secret()))
                .assertRefused(world, Expect.DENIED);
    }

    @ParameterizedTest(name = "{0} is denied to a service user even in its own organization, and changes nothing")
    @MethodSource("adminOnly")
    void aServiceUserIsDeniedAdminOnlyEndpointsInItsOwnOrganization(Endpoint endpoint) {
        Probe.to(endpoint, world.a, world.a.robot()).assertRefused(world, Expect.DENIED);
    }

    static Stream<Endpoint> adminOnly() {
        return Stream.of(Endpoint.values()).filter(endpoint -> endpoint.adminOnly);
    }

    private static Arguments denied(String sentence, Function<World, String> body) {
        return Arguments.of(Named.of(sentence, body));
    }

    static Stream<Arguments> selectorsThatReachB() {
        String usage = "\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"1\"}]}";
        return Stream.of(
                denied("a usage naming only B's account by billing_id is denied",
                        w -> "{\"billing_id\":\"" + w.b.account() + "\"," + usage),
                denied("a usage naming B's project is denied", w -> "{\"project_id\":\"" + w.b.project() + "\"," + usage),
                denied("a usage naming B's project by its name is denied",
                        w -> "{\"project_id\":\"" + projectName(w.b) + "\"," + usage),
                denied("a usage naming an organization that does not exist is denied like B",
                        w -> "{\"org_id\":\"" + UUID.randomUUID() + "\"," + usage),
                denied("a usage naming an unknown organization name is denied like B",
                        w -> "{\"org_id\":\"no-such-org\"," + usage));
    }

    @ParameterizedTest(name = "{0}, and nothing changes")
    @MethodSource("selectorsThatReachB")
    void aServiceUserOfACannotReachBThroughTheUsageSelector(Function<World, String> body) {
        new Probe(world.a.robot(), "POST", "/v1beta1/organizations/billing/usages", body.apply(world))
                .assertRefused(world, Expect.DENIED);
    }

    @ParameterizedTest(name = "{0} naming A's organization with B's account finds nothing for A's service user")
    @MethodSource("accountScoped")
    void aServiceUserOfAFindsNothingWhenItPairsItsOrganizationWithBsAccount(Endpoint endpoint) {
        Side mixed = new Side(world.a.org(), world.b.account(), world.b.usage(), world.b.project(),
                world.b.serviceUser(), world.a.clientId(), world.a.secret(), world.a.robot());

        Probe.to(endpoint, mixed, world.a.robot()).assertRefused(world, Expect.NOT_FOUND);
    }

    static Stream<Endpoint> accountScoped() {
        return Stream.of(GET_BILLING_ACCOUNT, GET_BALANCE, USAGE_ON_ACCOUNT_PATH, USAGE_ON_BODY_PATH, ACCOUNT_TRANSACTIONS,
                DEBITED_TOTAL);
    }

    private static String projectName(Side side) {
        return world.admin.get("/v1beta1/projects/" + side.project()).body().path("project").path("name").asText();
    }
}
