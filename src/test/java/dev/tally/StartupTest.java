package dev.tally;

import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real start-up path (DESIGN §7, §8): {@link Main#main} in a process of its own, configured by
 * its environment only, as an operator runs it. On H2 it uses its embedded file database under the
 * data directory; on PostgreSQL, TALLY_DB_URL names this test's own schema. The first start writes
 * the admin credentials; a second start over the same data keeps them, and the data.
 */
class StartupTest {
    private static final Pattern SERVES_ON = Pattern.compile("Tally serves on port (\\d+)");

    @TempDir
    Path dataDirectory;

    private TestDatabase database;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void mainStartsFromTheEnvironmentWritesTheAdminCredentialsAndKeepsDataAcrossARestart() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TALLY_HTTP_PORT", "0");
        environment.put("TALLY_DATA_DIR", dataDirectory.toString());
        environment.put("TALLY_DB_POOL_SIZE", "4");
        environment.put("TALLY_USAGE_LANES", "1");
        if (TestDatabase.kind().equals("postgres")) {
            database = TestDatabase.create();
            environment.put("TALLY_DB_URL", database.jdbcUrl());
        }

        Path firstLog = dataDirectory.resolve("first.log");
        URI first = start(environment, firstLog);
        Path credentials = dataDirectory.resolve("admin-credentials");
        Map<String, String> admin = readCredentials(credentials);
        TallyClient client = new TallyClient(first, Optional.of(TallyClient.basic(admin.get("TALLY_ADMIN_CLIENT_ID"),
                admin.get("TALLY_ADMIN_CLIENT_SECRET"))));

        assertThat(new TallyClient(first, Optional.empty()).get("/ping").status()).isEqualTo(200);
        assertThat(new TallyClient(first, Optional.empty()).get("/ready").status()).isEqualTo(200);
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String log = Files.readString(firstLog, StandardCharsets.UTF_8);
        assertThat(log).contains(credentials.toAbsolutePath().toString())
                .doesNotContain(admin.get("TALLY_ADMIN_CLIENT_SECRET"));
        String org = ok(client.post("/v1beta1/organizations", "{\"body\":{\"name\":\"startup-" + UUID.randomUUID()
                + "\",\"title\":\"S\"}}")).body().path("organization").path("id").asText();
        String account = ok(client.post("/v1beta1/organizations/" + org + "/billing", "{\"body\":{\"name\":\"main\"}}"))
                .body().path("billing_account").path("id").asText();
        String accountPath = "/v1beta1/organizations/" + org + "/billing/" + account;
        ok(client.post(accountPath.replace("/v1beta1/", "/v1beta1/admin/") + "/credits", "{\"amount\":\"50\"}"));
        ok(client.post(accountPath + "/usages", "{\"usages\":[{\"id\":\"" + UUID.randomUUID() + "\",\"amount\":\"20\"}]}"));
        stopGracefully();

        URI second = start(environment, dataDirectory.resolve("second.log"));
        TallyClient again = new TallyClient(second, Optional.of(TallyClient.basic(admin.get("TALLY_ADMIN_CLIENT_ID"),
                admin.get("TALLY_ADMIN_CLIENT_SECRET"))));

        assertThat(readCredentials(credentials)).isEqualTo(admin);
        assertThat(ok(again.get(accountPath + "/balance")).body().path("balance").path("amount").asText()).isEqualTo("30");
        stopGracefully();
    }

    /** Runs {@code java dev.tally.Main} with exactly {@code environment} for Tally; returns its address. */
    private URI start(Map<String, String> environment, Path log) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", classPath, Main.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TALLY_"));
        builder.environment().putAll(environment);
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher port = SERVES_ON.matcher(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
            if (port.find()) {
                return URI.create("http://127.0.0.1:" + port.group(1) + "/");
            }
            assertThat(process.isAlive()).as("Tally exited at start; its log: " + Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("Tally did not start within 120 s; its log: " + Files.readString(log));
    }

    /** SIGTERM: the shutdown hook stops the server and closes the database. */
    private void stopGracefully() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Tally stops on SIGTERM").isTrue();
    }

    private static Map<String, String> readCredentials(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        assertThat(values).containsOnlyKeys("TALLY_ADMIN_CLIENT_ID", "TALLY_ADMIN_CLIENT_SECRET");
        return values;
    }

    private static Reply ok(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }
}
