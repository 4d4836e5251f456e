package dev.tally.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.testing.ChildTally;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole run of a real Tally process with JSON access logs: every secret the run used, and every
 * Authorization value it sent, is looked for in everything the process wrote. None may be there.
 */
class SecretsNeverLoggedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECRETS = new ArrayList<>();
    private static final List<String> AUTHORIZATIONS = new ArrayList<>();
    private static ChildTally child;
    private static String serviceUserId;
    private static String traceId;

    @BeforeAll
    static void aFullRun() throws IOException, InterruptedException {
        String adminSecret = "admin-" + UUID.randomUUID();
        SECRETS.add(adminSecret);
        child = ChildTally.start(adminSecret, Map.of("TALLY_LOG_FORMAT", "json"));
        TallyClient admin = child.admin();
        AUTHORIZATIONS.add(TallyClient.basic(ChildTally.ADMIN_CLIENT_ID, adminSecret));

        String org = ok(admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"acme\",\"title\":\"Acme\"}}"))
                .path("organization").path("id").asText();
        String account = ok(admin.post("/v1beta1/organizations/" + org + "/billing",
                "{\"body\":{\"name\":\"main\",\"email\":\"b@acme.test\"}}")).path("billing_account").path("id").asText();
        serviceUserId = ok(admin.post("/v1beta1/organizations/" + org + "/serviceusers",
                "{\"body\":{\"title\":\"api\"}}")).path("serviceuser").path("id").asText();
        JsonNode credential = ok(admin.post("/v1beta1/organizations/" + org + "/serviceusers/" + serviceUserId
                + "/secrets", "{\"title\":\"prod\"}")).path("secret");
        String secret = credential.path("secret").asText();
        SECRETS.add(secret);
        String basic = TallyClient.basic(credential.path("id").asText(), secret);
        AUTHORIZATIONS.add(basic);
        AUTHORIZATIONS.add("Bearer " + secret);

        ok(admin.post("/v1beta1/admin/organizations/" + org + "/billing/" + account + "/credits",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":100,\"source\":\"promo\"}"));
        TallyClient product = admin.withAuthorization(basic);
        traceId = "trace-" + UUID.randomUUID();
        String usageId = UUID.randomUUID().toString();
        ok(product.withHeader("X-Request-Id", traceId).withHeader("Idempotency-Key", UUID.randomUUID().toString())
                .post("/v1beta1/organizations/" + org + "/billing/" + account + "/usages",
                        "{\"usages\":[{\"id\":\"" + usageId + "\",\"amount\":5,\"source\":\"api\"}]}"));
        ok(admin.withAuthorization("Bearer " + secret).get("/v1beta1/organizations/" + org + "/billing/" + account
                + "/balance"));
        ok(admin.post("/v1beta1/organizations/billing/usages/revert",
                "{\"org_id\":\"" + org + "\",\"usage_id\":\"" + usageId + "\"}"));
        ok(admin.post("/raystack.frontier.v1beta1.FrontierService/GetBillingBalance",
                "{\"org_id\":\"" + org + "\",\"id\":\"" + account + "\"}"));

        String wrongSecret = "wrong-" + UUID.randomUUID();
        SECRETS.add(wrongSecret);
        String wrong = TallyClient.basic(credential.path("id").asText(), wrongSecret);
        AUTHORIZATIONS.add(wrong);
        AUTHORIZATIONS.add("Bearer " + wrongSecret);
        assertThat(admin.withAuthorization(wrong).get("/v1beta1/admin/organizations").status()).isEqualTo(401);
        assertThat(admin.withAuthorization("Bearer " + wrongSecret).get("/v1beta1/admin/organizations").status())
                .isEqualTo(401);
        assertThat(child.terminate(Duration.ofSeconds(60))).isZero();
    }

    @AfterAll
    static void stop() {
        if (child != null) {
            child.close();
        }
    }

    @Test
    void noSecretAndNoAuthorizationValueIsInAnythingTheProcessWrote() {
        String output = child.output();
        assertThat(output).contains("Tally serves on port");
        for (String secret : SECRETS) {
            assertThat(output).doesNotContain(secret);
        }
        for (String authorization : AUTHORIZATIONS) {
            assertThat(output).doesNotContain(authorization)
                    .doesNotContain(authorization.substring(authorization.indexOf(' ') + 1));
        }
    }

    @Test
    void everyRequestIsOneJsonLineOnStandardOutput() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : child.standardOutput().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        // The 11 requests made above, each once.
        assertThat(lines).hasSize(11);
        assertThat(lines).allSatisfy(line -> assertThat(line.fieldNames()).toIterable()
                .contains("time", "request_id", "principal", "rpc", "method", "path", "status", "latency_ms"));
        JsonNode usage = lines.stream().filter(line -> line.path("request_id").asText().equals(traceId))
                .findFirst().orElseThrow();
        assertThat(usage.path("principal").asText()).isEqualTo(serviceUserId);
        assertThat(usage.path("rpc").asText()).isEqualTo("CreateBillingUsage");
        assertThat(usage.path("status").asInt()).isEqualTo(200);
        assertThat(usage.path("latency_ms").isNumber()).isTrue();
    }

    private static JsonNode ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }
}
