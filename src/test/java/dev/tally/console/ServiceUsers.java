package dev.tally.console;

import dev.tally.testing.Fixtures.Org;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;

import static org.assertj.core.api.Assertions.assertThat;

/** A new service user of an organization, and its credential as a Basic Authorization value. */
final class ServiceUsers {
    private ServiceUsers() {}

    static String credential(TallyServer server, Org org) {
        TallyClient admin = server.admin();
        Reply user = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers", "{\"body\":{\"title\":\"support\"}}");
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        Reply secret = admin.post("/v1beta1/organizations/" + org.id() + "/serviceusers/"
                + user.body().path("serviceuser").path("id").asText() + "/secrets", "{\"title\":\"console\"}");
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        return TallyClient.basic(secret.body().path("secret").path("id").asText(),
                secret.body().path("secret").path("secret").asText());
    }
}
