package dev.tally.hostile;

import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every hostile case runs against, built once per test class through the public API: two
 * organizations A and B, each with a billing account holding 1,000 credits less one usage of 10,
 * a project and a service user with one credential.
 */
final class World {
    static final long GRANTED = 1000;
    static final long USED = 10;

    /** One organization and what it holds. */
    record Side(Org org, String account, String usage, String project, String serviceUser, String clientId,
                String secret, TallyClient robot) {
        AccountRef accountRef() {
            return new AccountRef(org.id(), account);
        }

        String orgPath() {
            return "/v1beta1/organizations/" + org.id();
        }

        String accountPath() {
            return orgPath() + "/billing/" + account;
        }

        String adminAccountPath() {
            return "/v1beta1/admin/organizations/" + org.id() + "/billing/" + account;
        }
    }

    /** A billing account and the organization it belongs to. */
    record AccountRef(String orgId, String accountId) {
        String path() {
            return "/v1beta1/organizations/" + orgId + "/billing/" + accountId;
        }

        String adminPath() {
            return "/v1beta1/admin/organizations/" + orgId + "/billing/" + accountId;
        }
    }

    final TallyServer server;
    final TallyClient admin;
    final Side a;
    final Side b;

    private World(TallyServer server) {
        this.server = server;
        this.admin = server.admin();
        Probe.learnSchema(server);
        this.a = side("a");
        this.b = side("b");
    }

    static World build(TallyServer server) {
        return new World(server);
    }

    /** The accounts every case watches. */
    List<AccountRef> accounts() {
        return List.of(a.accountRef(), b.accountRef());
    }

    LedgerSnapshot snapshot(AccountRef... more) {
        List<AccountRef> watched = new java.util.ArrayList<>(accounts());
        watched.addAll(List.of(more));
        return LedgerSnapshot.take(server, watched);
    }

    /** A new organization with one active account holding {@code credits} (none when 0). */
    AccountRef freshAccount(long credits) {
        Org org = organization("fresh");
        String account = account(org);
        if (credits > 0) {
            grant(new AccountRef(org.id(), account), credits);
        }
        return new AccountRef(org.id(), account);
    }

    void grant(AccountRef account, long amount) {
        ok(admin.post(account.adminPath() + "/credits", "{\"amount\":\"" + amount + "\",\"source\":\"setup\"}"));
    }

    private Side side(String label) {
        Org org = organization(label);
        String account = account(org);
        grant(new AccountRef(org.id(), account), GRANTED);
        String usage = UUID.randomUUID().toString();
        ok(admin.post("/v1beta1/organizations/" + org.id() + "/billing/" + account + "/usages",
                "{\"usages\":[{\"id\":\"" + usage + "\",\"amount\":\"" + USED + "\",\"source\":\"api\","
                        + "\"description\":\"call\",\"user_id\":\"u1\",\"metadata\":{\"k\":\"v\"}}]}"));
        String project = ok(admin.post("/v1beta1/projects", "{\"body\":{\"name\":\"" + uniqueName("p-" + label)
                + "\",\"title\":\"Project\",\"org_id\":\"" + org.id() + "\"}}")).body().path("project").path("id").asText();
        String serviceUser = ok(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers",
                "{\"body\":{\"title\":\"robot\"}}")).body().path("serviceuser").path("id").asText();
        Reply secret = ok(admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/" + serviceUser + "/secrets",
                "{\"title\":\"key\"}"));
        String clientId = secret.body().path("secret").path("id").asText();
        String value = secret.body().path("secret").path("secret").asText();
        return new Side(org, account, usage, project, serviceUser, clientId, value,
                admin.withAuthorization(TallyClient.basic(clientId, value)));
    }

    private Org organization(String label) {
        String name = uniqueName("org-" + label);
        Reply reply = ok(admin.post("/v1beta1/organizations", "{\"body\":{\"name\":\"" + name + "\",\"title\":\"Org\"}}"));
        return new Org(reply.body().path("organization").path("id").asText(), name);
    }

    private String account(Org org) {
        return ok(admin.post("/v1beta1/organizations/" + org.id() + "/billing",
                "{\"body\":{\"name\":\"main\",\"email\":\"billing@example.com\"}}"))
                .body().path("billing_account").path("id").asText();
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Reply ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }
}
