package dev.tally.console;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.Main;
import dev.tally.Tally;
import dev.tally.config.TallyConfig;
import dev.tally.testing.MutableClock;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Under TLS the session cookie is also Secure, so a browser never sends it over plain HTTP. */
class SecureCookieOverTlsTest {
    private static TestDatabase database;
    private static Tally tally;
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.create();
        tally = new Tally(database.database(), new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        tally.bootstrapAdmin(TallyConfig.fromEnvironment(Map.of(
                "TALLY_DATA_DIR", Files.createTempDirectory("tally-tls-test").toString(),
                "TALLY_ADMIN_CLIENT_ID", "tls-admin", "TALLY_ADMIN_CLIENT_SECRET", "tls-secret")));
        ServerBuilder builder = Server.builder().https(0).tlsSelfSigned();
        Main.configureServices(builder, tally);
        server = builder.build();
        server.start().join();
    }

    @AfterAll
    static void stop() {
        server.stop().join();
        tally.close();
        database.close();
    }

    @Test
    void theSessionCookieIsSecureWhenServedOverTls() {
        WebClient client = WebClient.builder("https://127.0.0.1:" + server.activeLocalPort())
                .factory(ClientFactory.insecure()).build();
        AggregatedHttpResponse response = client.execute(
                RequestHeaders.builder(HttpMethod.POST, Console.SESSION_PATH).contentType(MediaType.JSON).build(),
                "{\"client_id\":\"tls-admin\",\"client_secret\":\"tls-secret\"}").aggregate().join();

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.SET_COOKIE))
                .containsIgnoringCase("; Secure").containsIgnoringCase("; HttpOnly").contains("; SameSite=Strict");
    }
}
