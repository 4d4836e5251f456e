package dev.tally.billing.holds;

import dev.tally.testing.Fixtures;
import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;

/** The hold REST calls of DESIGN §12, for tests, on one account (public: the hold memory's test is in ledger). */
public record HoldClient(TallyClient client, Org org, String account) {

    /** A new organization's new account granted {@code credits}, called by the platform admin. */
    public static HoldClient funded(TallyServer server, long credits) {
        Fixtures fixtures = new Fixtures(server);
        Org org = fixtures.organization();
        String account = fixtures.account(org);
        fixtures.grant(org, account, credits);
        return new HoldClient(server.admin(), org, account);
    }

    public String holds() {
        return Fixtures.accountPath(org, account) + "/holds";
    }

    public Reply create(String id, long amount) {
        return client.post(holds(), "{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"source\":\"Jobs\","
                + "\"description\":\"render\",\"user_id\":\"u1\",\"metadata\":{\"k\":\"v\"}}");
    }

    public Reply create(String id, long amount, long expiresInSeconds) {
        return client.post(holds(), "{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"expires_in\":\""
                + expiresInSeconds + "\"}");
    }

    /** Captures {@code amount}, or all of the hold when null. */
    public Reply capture(String id, Long amount) {
        return client.post(holds() + "/" + id + "/capture", amount == null ? "{}" : "{\"amount\":\"" + amount + "\"}");
    }

    public Reply release(String id) {
        return client.post(holds() + "/" + id + "/release", "{}");
    }

    public Reply get(String id) {
        return client.get(holds() + "/" + id);
    }

    public Reply balance() {
        return client.get(Fixtures.accountPath(org, account) + "/balance");
    }

    public long available() {
        return Long.parseLong(balance().body().path("available").asText("0"));
    }

    public long held() {
        return Long.parseLong(balance().body().path("held").asText("0"));
    }

    public HoldClient as(TallyClient other) {
        return new HoldClient(other, org, account);
    }
}
