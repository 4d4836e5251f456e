package dev.tally.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static dev.tally.api.ProtocolConventionsTest.fieldNames;
import static dev.tally.api.ProtocolConventionsTest.uniqueName;
import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §3: organizations, projects, service users and credentials, in Frontier's wire shapes. */
class DirectoryEndpointsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final Fixtures fixtures = new Fixtures(SERVER);
    private final TallyClient admin = SERVER.admin();

    @Test
    void creatingAnOrganizationAnswersItEnabledWithItsMetadata() {
        String name = uniqueName();

        Reply reply = admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + name + "\",\"title\":\"Acme Inc\","
                + "\"metadata\":{\"team\":\"billing\",\"tier\":2,\"tags\":[\"a\"]}}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode org = reply.body().path("organization");
        assertThat(org.path("id").asText()).matches(UUID_PATTERN);
        assertThat(org.path("name").asText()).isEqualTo(name);
        assertThat(org.path("title").asText()).isEqualTo("Acme Inc");
        assertThat(org.path("state").asText()).isEqualTo("enabled");
        assertThat(org.path("metadata").path("team").asText()).isEqualTo("billing");
        assertThat(org.path("metadata").path("tier").asInt()).isEqualTo(2);
        assertThat(org.path("metadata").path("tags").path(0).asText()).isEqualTo("a");
        assertThat(fieldNames(org)).contains("created_at", "updated_at");
    }

    @Test
    void theBareFrontierFormOfTheOrganizationBodyIsAccepted() {
        String name = uniqueName();

        Reply reply = admin.post("/v1beta1/organizations", "{\"name\":\"" + name + "\",\"title\":\"Bare\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("organization").path("name").asText()).isEqualTo(name);
        assertThat(reply.body().path("organization").path("title").asText()).isEqualTo("Bare");
    }

    @Test
    void aDuplicateOrganizationNameIsAlreadyExists() {
        Org org = fixtures.organization();

        assertError(admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + org.name() + "\",\"title\":\"x\"}}"),
                409, 6);
        assertError(admin.post("/v1beta1/organizations", "{\"name\":\"" + org.name() + "\"}"), 409, 6);
        Reply list = admin.get("/v1beta1/admin/organizations");
        assertThat(list.body().path("organizations").findValuesAsText("name")).containsOnlyOnce(org.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "has space", "6f1c2b3a-1111-4222-8333-944445555666", "a", "",
            "abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij", "-leading-dash", "ünicode", "dot.ted",
            "slash/name"})
    void anInvalidOrganizationNameIsInvalidArgument(String name) {
        Reply reply = admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + name + "\",\"title\":\"T\"}}");

        assertError(reply, 400, 3);
    }

    @Test
    void namesOfTwoAndOfFiftyCharactersAreAccepted() {
        String fifty = ("n" + UUID.randomUUID().toString().replace("-", "") + "x".repeat(50)).substring(0, 50);
        String two = "zq";

        Reply long50 = admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + fifty + "\"}}");
        Reply short2 = admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + two + "\"}}");

        assertThat(long50.status()).as(long50.toString()).isEqualTo(200);
        assertThat(short2.status()).as(short2.toString()).isEqualTo(200);
    }

    @Test
    void anOrganizationIsFoundByIdAndByName() {
        Org org = fixtures.organization();

        Reply byId = admin.get("/v1beta1/organizations/" + org.id());
        Reply byName = admin.get("/v1beta1/organizations/" + org.name());

        assertThat(byId.status()).as(byId.toString()).isEqualTo(200);
        assertThat(byName.status()).as(byName.toString()).isEqualTo(200);
        assertThat(byId.body().path("organization").path("name").asText()).isEqualTo(org.name());
        assertThat(byName.body()).isEqualTo(byId.body());
    }

    @Test
    void anUnknownOrganizationIsNotFoundForTheAdmin() {
        assertError(admin.get("/v1beta1/organizations/" + UUID.randomUUID()), 404, 5);
        assertError(admin.get("/v1beta1/organizations/" + uniqueName()), 404, 5);
        assertError(admin.get("/v1beta1/organizations/" + UUID.randomUUID() + "/projects"), 404, 5);
        assertError(admin.get("/v1beta1/organizations/" + UUID.randomUUID() + "/billing"), 404, 5);
    }

    @Test
    void theAdminListsAllOrganizations() {
        Org first = fixtures.organization();
        Org second = fixtures.organization();

        Reply reply = admin.get("/v1beta1/admin/organizations");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("organizations").findValuesAsText("id")).contains(first.id(), second.id());
        assertThat(reply.body().path("count").asInt()).isEqualTo(reply.body().path("organizations").size());
    }

    @Test
    void aProjectIsCreatedReadAndListedWithinItsOrganization() {
        Org org = fixtures.organization();
        String name = "proj-" + UUID.randomUUID().toString().substring(0, 8);

        Reply created = admin.post("/v1beta1/projects", "{\"body\":{\"name\":\"" + name + "\",\"title\":\"Web\","
                + "\"org_id\":\"" + org.id() + "\",\"metadata\":{\"env\":\"prod\"}}}");
        JsonNode project = created.body().path("project");
        Reply get = admin.get("/v1beta1/projects/" + project.path("id").asText());
        Reply list = admin.get("/v1beta1/organizations/" + org.id() + "/projects");
        Reply listByName = admin.get("/v1beta1/organizations/" + org.name() + "/projects");

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(project.path("id").asText()).matches(UUID_PATTERN);
        assertThat(project.path("name").asText()).isEqualTo(name);
        assertThat(project.path("title").asText()).isEqualTo("Web");
        assertThat(project.path("org_id").asText()).isEqualTo(org.id());
        assertThat(project.path("metadata").path("env").asText()).isEqualTo("prod");
        assertThat(fieldNames(project)).contains("created_at", "updated_at");
        assertThat(get.status()).as(get.toString()).isEqualTo(200);
        assertThat(get.body().path("project")).isEqualTo(project);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body().path("projects").findValuesAsText("id")).containsExactly(project.path("id").asText());
        assertThat(listByName.body()).isEqualTo(list.body());
    }

    @Test
    void aProjectMayNameItsOrganizationByNameAndUseTheBareForm() {
        Org org = fixtures.organization();
        String name = "proj-" + UUID.randomUUID().toString().substring(0, 8);

        Reply reply = admin.post("/v1beta1/projects", "{\"name\":\"" + name + "\",\"org_id\":\"" + org.name() + "\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body().path("project").path("org_id").asText()).isEqualTo(org.id());
    }

    @Test
    void aProjectInAnUnknownOrganizationOrWithAnInvalidNameIsRejected() {
        Org org = fixtures.organization();
        String name = "proj-" + UUID.randomUUID().toString().substring(0, 8);

        assertError(admin.post("/v1beta1/projects", "{\"body\":{\"name\":\"" + name + "\",\"org_id\":\""
                + UUID.randomUUID() + "\"}}"), 404, 5);
        assertError(admin.post("/v1beta1/projects", "{\"body\":{\"name\":\"Bad Name\",\"org_id\":\"" + org.id() + "\"}}"),
                400, 3);
        assertError(admin.post("/v1beta1/projects", "{\"body\":{\"name\":\"" + name + "\"}}"), 400, 3);
        assertError(admin.get("/v1beta1/projects/" + UUID.randomUUID()), 404, 5);
    }

    @Test
    void aServiceUserIsCreatedInItsOrganization() {
        Org org = fixtures.organization();

        Reply reply = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"billing robot\",\"metadata\":{\"owner\":\"ops\"}}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode user = reply.body().path("serviceuser");
        assertThat(user.path("id").asText()).matches(UUID_PATTERN);
        assertThat(user.path("org_id").asText()).isEqualTo(org.id());
        assertThat(user.path("title").asText()).isEqualTo("billing robot");
        assertThat(user.path("state").asText()).isEqualTo("enabled");
        assertThat(user.path("metadata").path("owner").asText()).isEqualTo("ops");
        assertThat(fieldNames(user)).contains("created_at", "updated_at");
    }

    @Test
    void aCredentialIsIssuedOnceAndAuthenticatesByBasicAndByBearer() {
        Org org = fixtures.organization();
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers", "{\"body\":{\"title\":\"r\"}}");
        String userId = user.body().path("serviceuser").path("id").asText();

        Reply reply = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId + "/secrets",
                "{\"title\":\"ci key\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode secret = reply.body().path("secret");
        assertThat(fieldNames(secret)).containsExactlyInAnyOrder("id", "title", "secret", "created_at");
        assertThat(secret.path("title").asText()).isEqualTo("ci key");
        assertThat(secret.path("secret").asText()).isNotBlank();
        assertThat(secret.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        Reply basic = SERVER.anonymous()
                .withAuthorization(TallyClient.basic(secret.path("id").asText(), secret.path("secret").asText()))
                .get("/v1beta1/organizations/" + org.id());
        Reply bearer = SERVER.anonymous().withAuthorization("Bearer " + secret.path("secret").asText())
                .get("/v1beta1/organizations/" + org.id() + "/projects");
        assertThat(basic.status()).as(basic.toString()).isEqualTo(200);
        assertThat(bearer.status()).as(bearer.toString()).isEqualTo(200);
    }

    @Test
    void aCredentialForAServiceUserOfAnotherOrganizationIsNotFound() {
        Org org = fixtures.organization();
        Org other = fixtures.organization();
        Reply user = admin.post("/v1beta1/organizations/" + other.id() + "/serviceusers", "{\"body\":{\"title\":\"r\"}}");
        String userId = user.body().path("serviceuser").path("id").asText();

        Reply reply = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId + "/secrets",
                "{\"title\":\"k\"}");

        assertError(reply, 404, 5);
        assertError(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/not-a-uuid/secrets",
                "{\"title\":\"k\"}"), 400, 3);
        assertError(admin.post("/v1beta1/organizations/" + UUID.randomUUID() + "/serviceusers",
                "{\"body\":{\"title\":\"r\"}}"), 404, 5);
    }
}
