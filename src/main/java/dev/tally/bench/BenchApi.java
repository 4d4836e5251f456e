package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.tally.common.Ids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The few Tally calls the benchmark makes, over HTTP/1.1 as Frontier's clients do. */
final class BenchApi implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SET_UP_CONCURRENCY = 32;

    private final ClientFactory factory;
    private final WebClient client;
    private final String authorization;

    BenchApi(String baseUrl, String clientId, String secret) {
        this.factory = ClientFactory.builder().idleTimeout(Duration.ofMinutes(1)).build();
        this.client = WebClient.builder(baseUrl.replaceFirst("^http://", "h1c://"))
                .factory(factory)
                .responseTimeout(Duration.ofSeconds(60))
                .maxResponseLength(0)
                .build();
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    CompletableFuture<AggregatedHttpResponse> send(HttpMethod method, String path, String json) {
        RequestHeaders headers = RequestHeaders.builder(method, path)
                .set(HttpHeaderNames.AUTHORIZATION, authorization)
                .contentType(MediaType.JSON_UTF_8)
                .build();
        return json == null ? client.execute(headers).aggregate() : client.execute(headers, json).aggregate();
    }

    /**
     * {@code count} usages of 1 credit on the account at {@code index}, in one request; each one's
     * {@code accountId/usageId} is added to {@code remember} unless it is null (for later reverts).
     */
    CompletableFuture<AggregatedHttpResponse> usages(BenchAccounts accounts, int index, int count,
                                                     Queue<String> remember) {
        StringBuilder body = new StringBuilder(count * 110).append("{\"usages\":[");
        for (int usage = 0; usage < count; usage++) {
            // No SecureRandom: its lock, taken 1,000 times a batch, is load-tool CPU on the server's cores.
            String id = Ids.unguarded().toString();
            if (remember != null) {
                remember.add(accounts.accountIds()[index] + "/" + id);
            }
            body.append(usage == 0 ? "" : ",").append("{\"id\":\"").append(id)
                    .append("\",\"amount\":\"1\",\"source\":\"bench\",\"description\":\"bench usage\"}");
        }
        body.append("]}");
        return send(HttpMethod.POST, accounts.path(index) + "/usages", body.toString());
    }

    /** Sends and waits, failing unless the reply is 200: for set-up steps. */
    JsonNode call(HttpMethod method, String path, String json) {
        AggregatedHttpResponse response = send(method, path, json).join();
        if (response.status().code() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + response.status() + ": "
                    + response.contentUtf8());
        }
        try {
            return MAPPER.readTree(response.contentUtf8());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable reply to " + path, e);
        }
    }

    /** A new organization with {@code count} billing accounts, each granted {@code credits}; set up in parallel. */
    BenchAccounts createAccounts(int count, long credits) {
        String org = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String orgId = call(HttpMethod.POST, "/v1beta1/organizations",
                "{\"body\":{\"name\":\"" + org + "\",\"title\":\"benchmark\"}}").path("organization").path("id").asText();
        String[] ids = new String[count];
        try (ExecutorService setUp = Executors.newFixedThreadPool(SET_UP_CONCURRENCY)) {
            for (int account = 0; account < count; account++) {
                int index = account;
                setUp.execute(() -> {
                    ids[index] = call(HttpMethod.POST, "/v1beta1/organizations/" + orgId + "/billing",
                            "{\"body\":{\"name\":\"bench " + index + "\"}}").path("billing_account").path("id").asText();
                    call(HttpMethod.POST, "/v1beta1/admin/organizations/" + orgId + "/billing/" + ids[index] + "/credits",
                            "{\"amount\":\"" + credits + "\",\"source\":\"bench\"}");
                });
            }
        }
        return new BenchAccounts(orgId, ids);
    }

    @Override
    public void close() {
        factory.close();
    }

    record BenchAccounts(String orgId, String[] accountIds) {
        String path(int index) {
            return "/v1beta1/organizations/" + orgId + "/billing/" + accountIds[index];
        }
    }
}
