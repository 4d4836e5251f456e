package dev.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Writing many entries quickly and reading them back page by page, through the public API. */
final class HistoryFixtures {
    private HistoryFixtures() {}

    /** Reports {@code count} usages of {@code amount} in requests of up to 1,000; returns their ids in order. */
    static List<String> usages(TallyClient client, Org org, String account, int count, long amount, String source) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < count; from += 1_000) {
            StringBuilder body = new StringBuilder("{\"usages\":[");
            for (int index = from; index < Math.min(count, from + 1_000); index++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                body.append(index == from ? "" : ",").append("{\"id\":\"").append(id).append("\",\"amount\":\"")
                        .append(amount).append("\",\"source\":\"").append(source).append("\"}");
            }
            Reply reply = client.post(Fixtures.accountPath(org, account) + "/usages", body.append("]}").toString());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        }
        return ids;
    }

    /** Reverts the whole usage. */
    static Reply revert(TallyClient admin, Org org, String account, String usageId) {
        return admin.post("/v1beta1/organizations/billing/usages/revert", "{\"org_id\":\"" + org.id()
                + "\",\"billing_id\":\"" + account + "\",\"usage_id\":\"" + usageId + "\"}");
    }

    /** Every transaction of the account in pages of {@code pageSize}, following next_page_token. */
    static List<JsonNode> allPages(TallyClient client, Org org, String account, int pageSize, String query) {
        List<JsonNode> entries = new ArrayList<>();
        String token = "";
        do {
            Reply page = client.get(Fixtures.accountPath(org, account) + "/transactions?page_size=" + pageSize
                    + query + (token.isEmpty() ? "" : "&page_token=" + token));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            assertThat(page.body().path("transactions").size()).isLessThanOrEqualTo(pageSize);
            page.body().path("transactions").forEach(entries::add);
            token = page.body().path("next_page_token").asText();
        } while (!token.isEmpty());
        return entries;
    }

    static List<String> ids(List<JsonNode> entries) {
        return entries.stream().map(entry -> entry.path("id").asText()).toList();
    }

    static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.body().path("transactions").forEach(entry -> ids.add(entry.path("id").asText()));
        return ids;
    }
}
