package dev.tally.auth;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tally.Main;
import dev.tally.Tally;
import dev.tally.config.TallyConfig;
import dev.tally.testing.MutableClock;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashMap;
import java.util.Optional;

import static dev.tally.testing.ErrorAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DESIGN §7: the first start creates a platform admin. Without TALLY_ADMIN_* it writes a generated
 * credential to {@code <data dir>/admin-credentials} (mode 0600), which then logs in as admin.
 */
class AdminBootstrapTest {
    private static final String FILE_NAME = "admin-credentials";

    @TempDir
    Path dataDirectory;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TestDatabase database;
    private Server server;

    @BeforeEach
    void openDatabase() {
        database = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop().join();
        }
        database.close();
    }

    @Test
    void withoutConfiguredCredentialsTheFirstStartWritesThemToAnOwnerOnlyFile() throws IOException {
        bootstrap(Optional.empty(), Optional.empty());

        Path file = dataDirectory.resolve(FILE_NAME);
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, String> values = readCredentialsFile(file);
        assertThat(values).containsOnlyKeys("TALLY_ADMIN_CLIENT_ID", "TALLY_ADMIN_CLIENT_SECRET");
        assertThat(values.get("TALLY_ADMIN_CLIENT_ID")).isNotBlank();
        assertThat(values.get("TALLY_ADMIN_CLIENT_SECRET")).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void theGeneratedCredentialsAuthenticateAsPlatformAdmin() throws IOException {
        bootstrap(Optional.empty(), Optional.empty());
        Map<String, String> values = readCredentialsFile(dataDirectory.resolve(FILE_NAME));
        String clientId = values.get("TALLY_ADMIN_CLIENT_ID");
        String secret = values.get("TALLY_ADMIN_CLIENT_SECRET");
        URI uri = startServer();

        TallyClient basic = new TallyClient(uri, Optional.of(TallyClient.basic(clientId, secret)));
        TallyClient bearer = new TallyClient(uri, Optional.of("Bearer " + secret));
        Reply listed = basic.get("/v1beta1/admin/organizations");
        Reply created = bearer.post("/v1beta1/organizations", "{\"body\":{\"name\":\"bootstrapped\",\"title\":\"B\"}}");
        Reply wrong = new TallyClient(uri, Optional.of(TallyClient.basic(clientId, secret + "x")))
                .get("/v1beta1/admin/organizations");

        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertError(wrong, 401, 16);
    }

    @Test
    void theLogNamesTheFileButNeverTheSecret() throws IOException {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            bootstrap(Optional.empty(), Optional.empty());
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        String secret = readCredentialsFile(dataDirectory.resolve(FILE_NAME)).get("TALLY_ADMIN_CLIENT_SECRET");

        assertThat(log).contains(dataDirectory.resolve(FILE_NAME).toAbsolutePath().toString());
        assertThat(log).doesNotContain(secret);
    }

    @Test
    void aSecondStartKeepsTheFirstGeneratedCredential() throws IOException {
        bootstrap(Optional.empty(), Optional.empty());
        Map<String, String> first = readCredentialsFile(dataDirectory.resolve(FILE_NAME));

        bootstrap(Optional.empty(), Optional.empty());
        URI uri = startServer();
        Reply reply = new TallyClient(uri, Optional.of(TallyClient.basic(first.get("TALLY_ADMIN_CLIENT_ID"),
                first.get("TALLY_ADMIN_CLIENT_SECRET")))).get("/v1beta1/admin/organizations");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(readCredentialsFile(dataDirectory.resolve(FILE_NAME))).isEqualTo(first);
    }

    @Test
    void configuredCredentialsAreUsedAndNoFileIsWritten() {
        bootstrap(Optional.of("ops-admin"), Optional.of("configured-admin-secret"));
        URI uri = startServer();

        Reply reply = new TallyClient(uri, Optional.of(TallyClient.basic("ops-admin", "configured-admin-secret")))
                .get("/v1beta1/admin/organizations");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(dataDirectory.resolve(FILE_NAME)).doesNotExist();
    }

    @Test
    void aNewConfiguredSecretReplacesTheOldOneAtTheNextStart() {
        bootstrap(Optional.of("ops-admin"), Optional.of("first-admin-secret"));
        bootstrap(Optional.of("ops-admin"), Optional.of("second-admin-secret"));
        URI uri = startServer();

        Reply withNew = new TallyClient(uri, Optional.of(TallyClient.basic("ops-admin", "second-admin-secret")))
                .get("/v1beta1/admin/organizations");
        Reply withOld = new TallyClient(uri, Optional.of(TallyClient.basic("ops-admin", "first-admin-secret")))
                .get("/v1beta1/admin/organizations");

        assertThat(withNew.status()).as(withNew.toString()).isEqualTo(200);
        assertError(withOld, 401, 16);
    }

    @Test
    void aClientIdWithoutASecretGetsAGeneratedSecretUnderThatId() throws IOException {
        bootstrap(Optional.of("ops-admin"), Optional.empty());
        Map<String, String> values = readCredentialsFile(dataDirectory.resolve(FILE_NAME));
        URI uri = startServer();

        Reply reply = new TallyClient(uri, Optional.of(TallyClient.basic("ops-admin",
                values.get("TALLY_ADMIN_CLIENT_SECRET")))).get("/v1beta1/admin/organizations");

        assertThat(values.get("TALLY_ADMIN_CLIENT_ID")).isEqualTo("ops-admin");
        assertThat(values.get("TALLY_ADMIN_CLIENT_SECRET")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void aSecretWithoutAClientIdRefusesToStartAndCreatesNothing() {
        Map<String, String> environment = Map.of("TALLY_DATA_DIR", dataDirectory.toString(),
                "TALLY_ADMIN_CLIENT_SECRET", "orphan-secret");

        assertThatThrownBy(() -> TallyConfig.fromEnvironment(environment))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TALLY_ADMIN_CLIENT_SECRET").hasMessageContaining("TALLY_ADMIN_CLIENT_ID")
                .hasMessageNotContaining("orphan-secret");
        assertThat(dataDirectory.resolve(FILE_NAME)).doesNotExist();
        URI uri = startServer();
        Reply reply = new TallyClient(uri, Optional.of("Bearer orphan-secret")).get("/v1beta1/admin/organizations");
        assertError(reply, 401, 16);
    }

    /** Runs the admin bootstrap as a start does, with the given TALLY_ADMIN_* values. */
    private void bootstrap(Optional<String> clientId, Optional<String> secret) {
        Map<String, String> environment = new HashMap<>();
        environment.put("TALLY_DATA_DIR", dataDirectory.toString());
        clientId.ifPresent(value -> environment.put("TALLY_ADMIN_CLIENT_ID", value));
        secret.ifPresent(value -> environment.put("TALLY_ADMIN_CLIENT_SECRET", value));
        TallyConfig config = TallyConfig.fromEnvironment(environment);
        new AdminBootstrap(database.database(), new ServiceUserRepository(), clock).ensureAdmin(config);
    }

    /** A server with the production wiring over this test's database, as TallyServer builds one. */
    private URI startServer() {
        ServerBuilder builder = Server.builder().http(0);
        Main.configureServices(builder, new Tally(database.database(), clock));
        server = builder.build();
        server.start().join();
        return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/");
    }

    private static Map<String, String> readCredentialsFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            int equals = line.indexOf('=');
            assertThat(equals).as("line of " + file + ": " + line).isPositive();
            values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return values;
    }
}
