package dev.tally.testing;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds the organizations, accounts and credentials a test needs, through the public API. */
public final class Fixtures {
    private final TallyServer server;
    private final TallyClient admin;

    public Fixtures(TallyServer server) {
        this.server = server;
        this.admin = server.admin();
    }

    /** A new organization with a unique name; returns the organization. */
    public Org organization() {
        String name = "org-" + UUID.randomUUID().toString().substring(0, 8);
        Reply reply = admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + name + "\",\"title\":\"Test\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return new Org(reply.body().path("organization").path("id").asText(), name);
    }

    /** A new active billing account in {@code org}; returns its id. */
    public String account(Org org) {
        Reply reply = admin.post("/v1beta1/organizations/" + org.id() + "/billing",
                "{\"body\":{\"name\":\"main\",\"email\":\"billing@example.com\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body().path("billing_account").path("id").asText();
    }

    /** Grants {@code amount} credits to the account. */
    public void grant(Org org, String accountId, long amount) {
        Reply reply = admin.post(accountPath(org, accountId).replace("/v1beta1/", "/v1beta1/admin/") + "/credits",
                "{\"amount\":\"" + amount + "\",\"source\":\"test\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    /** A client authenticated as a new service user of {@code org} (Basic auth). */
    public TallyClient serviceUser(Org org) {
        return admin.withAuthorization(serviceUserAuthorization(org));
    }

    /** The Basic Authorization header of a new service user of {@code org}, with a new secret. */
    public String serviceUserAuthorization(Org org) {
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"robot\"}}");
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        String userId = user.body().path("serviceuser").path("id").asText();
        Reply secret = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + userId + "/secrets",
                "{\"title\":\"key\"}");
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        return TallyClient.basic(secret.body().path("secret").path("id").asText(),
                secret.body().path("secret").path("secret").asText());
    }

    /** Reports one usage by the given client; returns the reply. */
    public Reply reportUsage(TallyClient client, Org org, String accountId, String usageId, long amount) {
        return client.post(accountPath(org, accountId) + "/usages",
                "{\"usages\":[{\"id\":\"" + usageId + "\",\"amount\":\"" + amount + "\",\"source\":\"API\","
                        + "\"description\":\"call\",\"user_id\":\"u1\",\"metadata\":{\"k\":\"v\"}}]}");
    }

    public long balance(Org org, String accountId) {
        Reply reply = admin.get(accountPath(org, accountId) + "/balance");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return Long.parseLong(reply.body().path("balance").path("amount").asText());
    }

    public static String accountPath(Org org, String accountId) {
        return "/v1beta1/organizations/" + org.id() + "/billing/" + accountId;
    }

    public record Org(String id, String name) {}
}
