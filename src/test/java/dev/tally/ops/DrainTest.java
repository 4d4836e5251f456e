package dev.tally.ops;

import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Once a shutdown begins, /ready is 503 on both ports and new requests are refused with 503 UNAVAILABLE. */
class DrainTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    @Test
    void aDrainingServerIsNotReadyAndRefusesNewRequests() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(SERVER.anonymous().get("/ready").status()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(SERVER.managementUri().resolve("/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        assertThat(SERVER.operations().drain()).as("nothing was in flight").isTrue();

        assertThat(SERVER.anonymous().get("/ready").status()).isEqualTo(503);
        assertThat(http.send(HttpRequest.newBuilder(SERVER.managementUri().resolve("/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        Reply refused = SERVER.admin().get("/v1beta1/admin/organizations");
        assertThat(assertError(refused, 503, 14)).contains("shutting down");
        assertThat(SERVER.anonymous().get("/ping").status()).as("the API port refuses everything").isEqualTo(503);
    }
}
