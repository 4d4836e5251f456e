package dev.tally.ops;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The management port's /metrics: per-RPC series, usage lanes, pool and JVM, in Prometheus' text format. */
class MetricsTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int USAGES = 7;

    private static Fixtures fixtures;
    private static Fixtures.Org org;
    private static String accountId;

    @BeforeAll
    static void someTraffic() {
        fixtures = new Fixtures(SERVER);
        org = fixtures.organization();
        accountId = fixtures.account(org);
        fixtures.grant(org, accountId, 1_000);
        TallyClient product = fixtures.serviceUser(org);
        for (int index = 0; index < USAGES; index++) {
            assertThat(fixtures.reportUsage(product, org, accountId, UUID.randomUUID().toString(), 1).status())
                    .isEqualTo(200);
        }
        assertThat(product.get(Fixtures.accountPath(org, accountId) + "/balance").status()).isEqualTo(200);
        assertThat(product.get(Fixtures.accountPath(org, UUID.randomUUID().toString()) + "/balance").status())
                .isEqualTo(404);
        // The same RPC over the unframed gRPC transport (Connect-style JSON).
        Reply grpc = product.post("/raystack.frontier.v1beta1.FrontierService/GetBillingBalance",
                "{\"org_id\":\"" + org.id() + "\",\"id\":\"" + accountId + "\"}");
        assertThat(grpc.status()).as(grpc.toString()).isEqualTo(200);
    }

    @Test
    void perRpcRequestCountsAreTaggedWithTheRpcAndItsStatus() {
        String metrics = scrape();
        assertThat(value(metrics, "tally_rpc_requests_total", "rpc=\"CreateBillingUsage\"", "protocol=\"rest\"",
                "http_status=\"200\"", "result=\"success\"")).isEqualTo(USAGES);
        assertThat(value(metrics, "tally_rpc_requests_total", "rpc=\"GetBillingBalance\"", "protocol=\"rest\"",
                "http_status=\"404\"", "result=\"failure\"")).isEqualTo(1);
        assertThat(value(metrics, "tally_rpc_requests_total", "rpc=\"GetBillingBalance\"", "protocol=\"unframed\"",
                "http_status=\"200\"", "result=\"success\"")).isEqualTo(1);
    }

    @Test
    void perRpcLatencyIsAHistogram() {
        String metrics = scrape();
        assertThat(metrics).contains("# TYPE tally_rpc_total_duration_seconds histogram");
        assertThat(value(metrics, "tally_rpc_total_duration_seconds_count", "rpc=\"CreateBillingUsage\"",
                "http_status=\"200\"")).isEqualTo(USAGES);
        assertThat(value(metrics, "tally_rpc_total_duration_seconds_bucket", "rpc=\"CreateBillingUsage\"",
                "http_status=\"200\"", "le=\"+Inf\"")).isEqualTo(USAGES);
    }

    @Test
    void perRpcMetersAreTheDocumentedOnes() {
        String metrics = scrape();
        // docs/operations.md: requests, the total duration histogram, active requests and timeouts; the
        // request's and response's own durations and lengths were four more distributions per request.
        assertThat(metrics).contains("tally_rpc_active_requests", "tally_rpc_timeouts_total")
                .doesNotContain("tally_rpc_request_duration", "tally_rpc_response_duration",
                        "tally_rpc_request_length", "tally_rpc_response_length");
    }

    @Test
    void usageLanesReportEveryRequestTheyApplied() {
        String metrics = scrape();
        assertThat(value(metrics, "tally_usage_lane_group_size_requests_sum")).isEqualTo(USAGES);
        assertThat(value(metrics, "tally_usage_lane_commit_seconds_count")).isBetween(1.0, (double) USAGES);
        assertThat(value(metrics, "tally_usage_lane_queue_depth_requests")).isEqualTo(0);
    }

    @Test
    void liveHoldsAndTheWebhookBacklogAreGaugesOfTheDatabase() {
        double holdsBefore = value(scrape(), "tally_holds_active_holds");
        Reply hold = SERVER.admin().post(Fixtures.accountPath(org, accountId) + "/holds",
                "{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"5\",\"expires_in\":600}");
        assertThat(hold.status()).as(hold.toString()).isEqualTo(200);
        String metrics = scrape();
        assertThat(value(metrics, "tally_holds_active_holds")).isEqualTo(holdsBefore + 1);
        // No webhook is configured here, so nothing waits for delivery.
        assertThat(value(metrics, "tally_webhook_backlog_deliveries")).isZero();
        assertThat(value(metrics, "tally_webhook_oldest_undelivered_age_seconds")).isZero();
        assertThat(value(metrics, "tally_webhook_failed_deliveries")).isZero();
    }

    @Test
    void poolAndJvmAreThereUnderTheTallyPrefix() {
        String metrics = scrape();
        assertThat(value(metrics, "tally_hikaricp_connections_max", "pool=\"tally\"")).isPositive();
        assertThat(metrics).contains("tally_jvm_memory_used_bytes{");
        assertThat(value(metrics, "tally_process_cpu_seconds_total")).isPositive();
        assertThat(metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
                .allSatisfy(line -> assertThat(line).startsWith("tally_"));
    }

    @Test
    void metricsAreOnlyOnTheManagementPort() {
        assertThat(SERVER.anonymous().get("/metrics").status()).isEqualTo(404);
        assertThat(get(SERVER.managementUri().resolve("/ping")).statusCode()).isEqualTo(200);
        assertThat(get(SERVER.managementUri().resolve("/ready")).statusCode()).isEqualTo(200);
    }

    /** promtool (Debian's prometheus package, installed by .ci/run) accepts the exposition as it is. */
    @Test
    void promtoolAcceptsTheExposition() throws IOException, InterruptedException {
        Optional<Path> promtool = Promtool.find();
        if (promtool.isEmpty()) {
            Promtool.skipOrFail();
            return;
        }
        Path exposition = Files.createTempFile("tally-metrics", ".txt");
        Files.writeString(exposition, scrape());
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
                .redirectInput(exposition.toFile()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(60, TimeUnit.SECONDS)) {
            check.destroyForcibly();
            fail("promtool did not finish");
        }
        assertThat(check.exitValue()).as(output).isZero();
        Files.delete(exposition);
    }

    static String scrape() {
        HttpResponse<String> reply = get(SERVER.managementUri().resolve("/metrics"));
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("content-type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        return reply.body();
    }

    /** The value of the one sample of {@code name} whose labels include all of {@code labels}. */
    static double value(String metrics, String name, String... labels) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = sample.matcher(metrics);
        Double found = null;
        while (matcher.find()) {
            String labelText = matcher.group(1) == null ? "" : matcher.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= labelText.contains(label);
            }
            if (all) {
                assertThat(found).as("more than one sample of %s with %s", name, String.join(",", labels)).isNull();
                found = Double.parseDouble(matcher.group(2));
            }
        }
        assertThat(found).as("a sample of %s with %s in:%n%s", name, String.join(",", labels), metrics).isNotNull();
        return found;
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
