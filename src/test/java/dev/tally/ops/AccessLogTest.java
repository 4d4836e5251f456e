package dev.tally.ops;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One access-log line per request, and X-Request-Id taken or generated and returned. */
class AccessLogTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    @Test
    void aCallersRequestIdIsReturnedAndLoggedWithThePrincipalAndRpc() {
        Fixtures fixtures = new Fixtures(SERVER);
        Fixtures.Org org = fixtures.organization();
        String accountId = fixtures.account(org);
        String requestId = "lb-" + UUID.randomUUID();
        Reply reply = SERVER.admin().withHeader("X-Request-Id", requestId)
                .get(Fixtures.accountPath(org, accountId) + "/balance");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-request-id")).hasValue(requestId);

        String line = onlyLineWith("request_id=" + requestId);
        assertThat(line).matches("time=\\d{4}-\\d\\d-\\d\\dT\\S+Z request_id=\\S+ principal=[0-9a-f-]{36}"
                + " rpc=GetBillingBalance method=GET path=/v1beta1/organizations/\\S+/balance status=200"
                + " latency_ms=\\d+\\.\\d+");
    }

    @Test
    void aRequestWithoutAnIdGetsAFreshOneAndRefusalsAreLoggedToo() {
        Reply first = SERVER.anonymous().get("/v1beta1/admin/organizations");
        Reply second = SERVER.anonymous().get("/v1beta1/admin/organizations");
        assertThat(first.status()).isEqualTo(401);
        String id = first.header("x-request-id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}").isNotEqualTo(second.header("x-request-id").orElseThrow());
        assertThat(onlyLineWith("request_id=" + id)).contains("principal=- ", "rpc=ListAllOrganizations", "status=401");
    }

    @Test
    void anIdThatCouldForgeLogLinesIsReplaced() {
        Reply reply = SERVER.anonymous().withHeader("X-Request-Id", "a b\" status=200").get("/ping");
        String id = reply.header("x-request-id").orElseThrow();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(onlyLineWith("request_id=" + id)).contains("rpc=\"GET /ping\"", "path=/ping");
    }

    @Test
    void grpcCallsAreLoggedWithTheirMethodName() {
        Fixtures fixtures = new Fixtures(SERVER);
        Fixtures.Org org = fixtures.organization();
        TallyClient admin = SERVER.admin();
        String requestId = "grpc-" + UUID.randomUUID();
        Reply reply = admin.withHeader("X-Request-Id", requestId)
                .post("/raystack.frontier.v1beta1.FrontierService/GetOrganization", "{\"id\":\"" + org.id() + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(onlyLineWith("request_id=" + requestId)).contains("rpc=GetOrganization", "status=200");
    }

    /** The access log is written when the request's log completes, just after the reply; wait for it. */
    private static String onlyLineWith(String text) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> lines;
        do {
            lines = SERVER.accessLogLines().stream().filter(line -> line.contains(text)).toList();
        } while (lines.isEmpty() && System.nanoTime() < deadline && pause());
        assertThat(lines).as("access-log lines with %s", text).hasSize(1);
        return lines.get(0);
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
