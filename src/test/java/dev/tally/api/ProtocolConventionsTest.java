package dev.tally.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.tally.testing.ErrorAssertions.assertError;
import static dev.tally.testing.ErrorAssertions.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §2, the JSON conventions of Frontier's gateway: every field printed, int64 as strings, RFC 3339
 * timestamps, lenient about unknown fields and int64 spellings. Malformed requests are 400s in the one
 * error shape; see {@link MalformedRequestsTest}.
 */
class ProtocolConventionsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    private static final String RFC_3339 = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})";

    private final Fixtures fixtures = new Fixtures(SERVER);

    @Test
    void booleanQueryParametersAreReadAsBooleans() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);

        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account) + "?with_billing_details=true&expand=x");
        Reply notABoolean = SERVER.admin().get(Fixtures.accountPath(org, account) + "?with_billing_details=yes");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(notABoolean.status()).as(notABoolean.toString()).isEqualTo(400);
    }

    @Test
    void aBillingAccountPrintsEveryFieldIncludingEmptyOnes() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);

        Reply reply = SERVER.admin().get(Fixtures.accountPath(org, account));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode printed = reply.body().path("billing_account");
        assertThat(fieldNames(printed)).as(reply.toString()).contains("id", "org_id", "name", "email", "phone",
                "address", "provider_id", "provider", "currency", "state", "tax_data", "metadata", "created_at",
                "updated_at");
        assertThat(printed.path("phone").isTextual()).as(reply.toString()).isTrue();
        assertThat(printed.path("phone").asText()).isEmpty();
        assertThat(printed.path("provider_id").asText()).isEmpty();
        assertThat(printed.path("metadata").isObject()).as(reply.toString()).isTrue();
        assertThat(printed.path("metadata").size()).isZero();
        assertThat(printed.path("tax_data").isArray()).as(reply.toString()).isTrue();
        assertThat(printed.path("tax_data").size()).isZero();
        assertThat(fieldNames(printed.path("address"))).as(reply.toString())
                .contains("line1", "line2", "city", "state", "postal_code", "country");
        assertThat(printed.path("currency").asText()).isEqualTo("VC");
    }

    @Test
    void anOrganizationPrintsEveryFieldIncludingEmptyOnes() {
        Reply reply = SERVER.admin().post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + uniqueName() + "\"}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode printed = reply.body().path("organization");
        assertThat(fieldNames(printed)).as(reply.toString()).contains("id", "name", "title", "metadata",
                "created_at", "updated_at", "state", "avatar");
        assertThat(printed.path("avatar").asText()).isEmpty();
        assertThat(printed.path("metadata").isObject()).as(reply.toString()).isTrue();
    }

    @Test
    void int64ValuesArePrintedAsJsonStrings() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 20);
        String path = Fixtures.accountPath(org, account);

        Reply balance = SERVER.admin().get(path + "/balance");
        Reply transactions = SERVER.admin().get(path + "/transactions");
        Reply debited = SERVER.admin().get(path + "/debited_transactions_total");
        Reply details = SERVER.admin().get(path.replace("/v1beta1/", "/v1beta1/admin/") + "/details");

        assertThat(balance.body().path("balance").path("amount").isTextual()).as(balance.toString()).isTrue();
        assertThat(balance.body().path("balance").path("amount").asText()).isEqualTo("20");
        assertThat(balance.rawBody()).contains("\"amount\":\"20\"");
        JsonNode entry = transactions.body().path("transactions").path(0);
        assertThat(entry.path("amount").isTextual()).as(transactions.toString()).isTrue();
        assertThat(entry.path("amount").asText()).isEqualTo("20");
        assertThat(debited.body().path("debited").path("amount").isTextual()).as(debited.toString()).isTrue();
        assertThat(debited.body().path("debited").path("amount").asText()).isEqualTo("0");
        assertThat(details.body().path("credit_min").isTextual()).as(details.toString()).isTrue();
        assertThat(details.body().path("due_in_days").isTextual()).as(details.toString()).isTrue();
    }

    @Test
    void requestsAcceptInt64AsANumberOrAString() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        String credits = Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/") + "/credits";

        Reply number = SERVER.admin().post(credits, "{\"amount\":20,\"source\":\"test\"}");
        Reply string = SERVER.admin().post(credits, "{\"amount\":\"20\",\"source\":\"test\"}");
        Reply usageNumber = usage(org, account, "\"amount\":3");
        Reply usageString = usage(org, account, "\"amount\":\"4\"");

        for (Reply reply : List.of(number, string, usageNumber, usageString)) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        }
        assertThat(number.body().path("transaction").path("amount").asText()).isEqualTo("20");
        assertThat(fixtures.balance(org, account)).isEqualTo(33);
    }

    @Test
    void timestampsArePrintedInRfc3339() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 5);
        String path = Fixtures.accountPath(org, account);

        List<String> timestamps = new ArrayList<>();
        JsonNode organization = SERVER.admin().get("/v1beta1/organizations/" + org.id()).body().path("organization");
        timestamps.add(organization.path("created_at").asText());
        timestamps.add(organization.path("updated_at").asText());
        JsonNode billing = SERVER.admin().get(path).body().path("billing_account");
        timestamps.add(billing.path("created_at").asText());
        timestamps.add(billing.path("updated_at").asText());
        timestamps.add(SERVER.admin().get(path + "/balance").body().path("balance").path("updated_at").asText());
        JsonNode entry = SERVER.admin().get(path + "/transactions").body().path("transactions").path(0);
        timestamps.add(entry.path("created_at").asText());
        timestamps.add(entry.path("updated_at").asText());

        assertThat(timestamps).allSatisfy(timestamp -> {
            assertThat(timestamp).matches(RFC_3339);
            assertThat(OffsetDateTime.parse(timestamp).getYear()).isEqualTo(2026);
        });
    }

    @Test
    void unknownRequestFieldsAreIgnored() {
        String name = uniqueName();
        Reply org = SERVER.admin().post("/v1beta1/organizations",
                "{\"body\":{\"name\":\"" + name + "\",\"title\":\"T\",\"colour\":\"blue\",\"nested\":{\"a\":[1]}},"
                        + "\"unknown_top\":5}");
        assertThat(org.status()).as(org.toString()).isEqualTo(200);
        Org created = new Org(org.body().path("organization").path("id").asText(), name);
        String account = fixtures.account(created);
        fixtures.grant(created, account, 10);

        Reply usage = SERVER.admin().post(Fixtures.accountPath(created, account) + "/usages",
                "{\"shoe_size\":44,\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"2\","
                        + "\"source\":\"api\",\"flavour\":\"mint\"}]}");
        Reply check = SERVER.admin().post("/v1beta1/billing/check",
                "{\"org_id\":\"" + created.id() + "\",\"amount\":\"1\",\"why\":\"because\"}");

        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        assertThat(check.status()).as(check.toString()).isEqualTo(200);
        assertThat(fixtures.balance(created, account)).isEqualTo(8);
    }

    @Test
    void anRpcWithNothingToReturnAnswersAnEmptyObject() {
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, 10);

        Reply usage = usage(org, account, "\"amount\":\"1\"");
        Reply disable = SERVER.admin().post(Fixtures.accountPath(org, account) + "/disable", "{}");

        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        assertThat(usage.rawBody()).isEqualTo("{}");
        assertThat(disable.status()).as(disable.toString()).isEqualTo(200);
        assertThat(disable.rawBody()).isEqualTo("{}");
    }

    @Test
    void anUnknownPathIsNotFoundInTheErrorShape() {
        TallyClient admin = SERVER.admin();

        assertError(admin.get("/v1beta1/no-such-thing"), 404, 5);
        assertError(admin.get("/nope"), 404, 5);
        assertError(admin.post("/v1beta1/organizations/a/b/c/d/e", "{}"), 404, 5);
        assertError(SERVER.anonymous().get("/v1beta1/no-such-thing"), 404, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE /v1beta1/organizations", "GET /v1beta1/billing/check", "PUT /v1beta1/projects",
            "PATCH /v1beta1/organizations", "DELETE /v1beta1/organizations/x/billing/y"})
    void aWrongMethodOnAKnownPathIsAnErrorInTheSameShapeNotAServerError(String request) {
        String[] parts = request.split(" ");

        Reply reply = SERVER.admin().send(parts[0], parts[1], parts[0].equals("GET") ? null : "{}");

        assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        assertErrorShape(reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /ping", "GET /v1beta1/admin/organizations", "GET /v1beta1/no-such-thing",
            "DELETE /v1beta1/organizations", "POST /v1beta1/organizations", "GET /v1beta1/organizations/no-such-org"})
    void repliesAreJson(String request) throws IOException, InterruptedException {
        String[] parts = request.split(" ");
        HttpRequest.Builder builder = HttpRequest.newBuilder(SERVER.uri().resolve(parts[1]))
                .header("Authorization", TallyClient.basic(TallyServer.ADMIN_CLIENT_ID, TallyServer.ADMIN_SECRET))
                .method(parts[0], parts[0].equals("POST") ? HttpRequest.BodyPublishers.ofString("not json")
                        : HttpRequest.BodyPublishers.noBody());

        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.headers().firstValue("Content-Type")).as(response.statusCode() + " " + response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        if (response.statusCode() != 200) {
            assertErrorShape(new Reply(response.statusCode(), new ObjectMapper()
                    .readTree(response.body()), response.body()));
        }
    }

    private Reply usage(Org org, String account, String amountField) {
        return SERVER.admin().post(Fixtures.accountPath(org, account) + "/usages",
                "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\"," + amountField + ",\"source\":\"api\"}]}");
    }

    static String uniqueName() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
