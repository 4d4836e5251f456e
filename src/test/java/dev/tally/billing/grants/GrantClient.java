package dev.tally.billing.grants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The grant calls of DESIGN §13 over REST, for tests. */
record GrantClient(TallyClient client, Org org, String account) {

    /** Adds credits; {@code expiresAt} and {@code priority} are left out when null. Returns the reply. */
    Reply credit(String id, long amount, Instant expiresAt, Integer priority) {
        return client.post(Fixtures.accountPath(org, account).replace("/v1beta1/", "/v1beta1/admin/") + "/credits",
                "{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"source\":\"promo\",\"description\":\"grant "
                        + id.substring(0, 4) + "\""
                        + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"")
                        + (priority == null ? "" : ",\"priority\":" + priority) + "}");
    }

    /** Adds credits and returns the grant's id. */
    String grant(long amount, Instant expiresAt, Integer priority) {
        String id = UUID.randomUUID().toString();
        Reply reply = credit(id, amount, expiresAt, priority);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return id;
    }

    Reply use(String usageId, long amount) {
        return client.post(Fixtures.accountPath(org, account) + "/usages",
                "{\"usages\":[{\"id\":\"" + usageId + "\",\"amount\":\"" + amount + "\",\"source\":\"api\"}]}");
    }

    /** Reports a usage that must succeed; returns its id. */
    String used(long amount) {
        String id = UUID.randomUUID().toString();
        Reply reply = use(id, amount);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return id;
    }

    Reply revert(String usageId) {
        return client.post("/v1beta1/organizations/billing/usages/revert", "{\"org_id\":\"" + org.id()
                + "\",\"billing_id\":\"" + account + "\",\"usage_id\":\"" + usageId + "\"}");
    }

    JsonNode grants() {
        Reply reply = client.get(Fixtures.accountPath(org, account) + "/grants");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().path("grants");
    }

    JsonNode grantById(String id) {
        for (JsonNode grant : grants()) {
            if (grant.path("id").asText().equals(id)) {
                return grant;
            }
        }
        throw new AssertionError("no grant " + id + " in " + grants());
    }

    long remaining(String grantId) {
        return grantById(grantId).path("remaining").asLong(0);
    }

    /** The debit's allocations as "grant_id:amount" (grant_id empty for debt), in spending order. */
    List<String> allocations(String entryId) {
        Reply reply = client.get(Fixtures.accountPath(org, account) + "/transactions/" + entryId + "/allocations");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> allocations = new ArrayList<>();
        reply.body().path("allocations").forEach(allocation -> allocations.add(
                allocation.path("grant_id").asText("") + ":" + allocation.path("amount").asText("0")));
        return allocations;
    }

    JsonNode balanceReply() {
        Reply reply = client.get(Fixtures.accountPath(org, account) + "/balance");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    long balance() {
        return Long.parseLong(balanceReply().path("balance").path("amount").asText("0"));
    }

    long available() {
        return Long.parseLong(balanceReply().path("available").asText("0"));
    }
}
